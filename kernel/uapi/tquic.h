/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * tquic generic netlink interface: how tquic-gatewayd drives the kernel's
 * QUIC connections.
 *
 * The kernel owns every QUIC packet; userspace owns TLS 1.3. For each
 * connection the kernel passes up the peer's CRYPTO-stream bytes per
 * encryption level (TQUIC_EVENT_CRYPTO_DATA) and userspace passes down
 * TLS bytes to send (TQUIC_CMD_CRYPTO_SEND), the traffic secrets per level
 * and direction (TQUIC_CMD_SET_SECRET), the peer's transport parameters as
 * TLS received them (TQUIC_CMD_PEER_TPARAMS) and the outcome
 * (TQUIC_CMD_HANDSHAKE_DONE, or TQUIC_CMD_CLOSE with 0x100 + the TLS alert).
 * Our own transport parameters, for the quic_transport_parameters
 * extension (0x39), come with TQUIC_CMD_CONNECT's reply and with
 * TQUIC_EVENT_NEW_CONN.
 *
 * Family "tquic", version 1. Every command acts in the network namespace
 * of the netlink socket. Every command that changes state needs
 * CAP_NET_ADMIN in the initial user namespace (the host's administrator):
 * a user who made a user and network namespace of their own gets EPERM,
 * so no unprivileged user can make the module allocate connections.
 * TQUIC_CMD_GET_CONN (doit or dump) shows CIDs and peer addresses: it
 * needs CAP_NET_ADMIN over the namespace (in its owning user namespace),
 * as /proc/net/tquic needs its root.
 *
 * Events: TQUIC_EVENT_NEW_CONN and TQUIC_EVENT_CRYPTO_DATA go to the
 * socket that owns the listener or connection (the one that sent
 * TQUIC_CMD_LISTEN or TQUIC_CMD_CONNECT), never to others: they carry the
 * handshake. If the owner cannot be told (its socket is gone or its
 * receive buffer full), the handshake is abandoned. TQUIC_EVENT_STATE goes
 * to the multicast group "events" (CAP_NET_ADMIN to join), which the owner
 * joins to learn how its handshakes end. When the owning socket closes,
 * its listeners go and its connections still in the handshake are closed;
 * established connections stay until closed or idle.
 */
#ifndef _UAPI_LINUX_TQUIC_H
#define _UAPI_LINUX_TQUIC_H

#include <linux/types.h>

#define TQUIC_GENL_NAME		"tquic"
#define TQUIC_GENL_VERSION	1
#define TQUIC_GENL_MCGRP_EVENTS	"events"

#define TQUIC_RESET_KEY_LEN	32

/* Largest value of TQUIC_A_DATA a command accepts. */
#define TQUIC_DATA_MAX		4096

enum tquic_cmd {
	TQUIC_CMD_UNSPEC,
	/*
	 * Open a UDP socket that accepts connections.
	 * In: LOCAL_ADDR, LOCAL_PORT, [IFINDEX], [IDLE_TIMEOUT_MS], [RETRY].
	 * Reply: LISTENER_ID.
	 */
	TQUIC_CMD_LISTEN,
	/* Close a listener; its connections stay. In: LISTENER_ID. */
	TQUIC_CMD_UNLISTEN,
	/*
	 * Start a client connection on a new UDP socket. Nothing is sent
	 * before the first TQUIC_CMD_CRYPTO_SEND (the ClientHello).
	 * In: PEER_ADDR, PEER_PORT, [LOCAL_ADDR], [LOCAL_PORT], [IFINDEX],
	 * [VERSION], [IDLE_TIMEOUT_MS].
	 * Reply: CONN_ID, LOCAL_TPARAMS, VERSION.
	 */
	TQUIC_CMD_CONNECT,
	/* TLS bytes to send. In: CONN_ID, LEVEL, DATA. */
	TQUIC_CMD_CRYPTO_SEND,
	/* A traffic secret. In: CONN_ID, LEVEL, DIRECTION, CIPHER, SECRET. */
	TQUIC_CMD_SET_SECRET,
	/* The peer's transport parameters. In: CONN_ID, DATA. */
	TQUIC_CMD_PEER_TPARAMS,
	/* TLS completed the handshake. In: CONN_ID. */
	TQUIC_CMD_HANDSHAKE_DONE,
	/*
	 * Close with CONNECTION_CLOSE. In: CONN_ID, [ERROR_CODE],
	 * [ERROR_APP] (flag: application error code, else transport;
	 * a TLS alert A is the transport error 0x100 + A).
	 */
	TQUIC_CMD_CLOSE,
	/* One connection (CONN_ID) or, as a dump, all of the namespace. */
	TQUIC_CMD_GET_CONN,

	/*
	 * Events. NEW_CONN: a listener accepted a client Initial; the
	 * handshake waits for its owner. Attributes: CONN_ID, LISTENER_ID,
	 * VERSION, PEER_ADDR, PEER_PORT, LOCAL_TPARAMS.
	 */
	TQUIC_EVENT_NEW_CONN,
	/* In-order CRYPTO bytes from the peer: CONN_ID, LEVEL, DATA. */
	TQUIC_EVENT_CRYPTO_DATA,
	/*
	 * The connection entered STATE. On CLOSING, DRAINING and CLOSED:
	 * ERROR_CODE, and ERROR_APP / ERROR_REMOTE flags.
	 */
	TQUIC_EVENT_STATE,

	__TQUIC_CMD_MAX,
};
#define TQUIC_CMD_MAX (__TQUIC_CMD_MAX - 1)

enum tquic_attr {
	TQUIC_A_UNSPEC,
	TQUIC_A_PAD,
	TQUIC_A_CONN_ID,		/* u32 */
	TQUIC_A_LISTENER_ID,		/* u32 */
	TQUIC_A_LOCAL_ADDR,		/* binary: struct in_addr or in6_addr */
	TQUIC_A_LOCAL_PORT,		/* u16, host order */
	TQUIC_A_PEER_ADDR,		/* binary: struct in_addr or in6_addr */
	TQUIC_A_PEER_PORT,		/* u16, host order */
	TQUIC_A_IFINDEX,		/* u32: bind the UDP socket to it */
	TQUIC_A_VERSION,		/* u32: QUIC version, 1 or 0x6b3343cf */
	TQUIC_A_IDLE_TIMEOUT_MS,	/* u32: our max_idle_timeout */
	TQUIC_A_LEVEL,			/* u8: enum tquic_level */
	TQUIC_A_DIRECTION,		/* u8: enum tquic_direction */
	TQUIC_A_CIPHER,			/* u16: TLS cipher suite, 0x1301..3 */
	TQUIC_A_SECRET,			/* binary, the suite's hash length */
	TQUIC_A_DATA,			/* binary, TQUIC_DATA_MAX at most */
	TQUIC_A_LOCAL_TPARAMS,		/* binary: extension 0x39's body */
	TQUIC_A_ERROR_CODE,		/* u64 */
	TQUIC_A_ERROR_APP,		/* flag */
	TQUIC_A_ERROR_REMOTE,		/* flag: the peer's code */
	TQUIC_A_STATE,			/* u8: enum tquic_state */
	TQUIC_A_ROLE,			/* u8: enum tquic_role */
	TQUIC_A_LOCAL_CID,		/* binary */
	TQUIC_A_PEER_CID,		/* binary */
	TQUIC_A_PKTS_TX,		/* u64 */
	TQUIC_A_PKTS_RX,		/* u64 */
	TQUIC_A_BYTES_TX,		/* u64 */
	TQUIC_A_BYTES_RX,		/* u64 */
	TQUIC_A_PKTS_LOST,		/* u64 */
	TQUIC_A_PKTS_DROPPED,		/* u64: undecryptable ones included */
	TQUIC_A_PTOS,			/* u64: probe timeouts */
	TQUIC_A_SRTT_US,		/* u64 */
	TQUIC_A_CWND,			/* u64: bytes */
	TQUIC_A_KEY_UPDATES,		/* u32: 1-RTT key updates, both sides' */
	TQUIC_A_RETRY,			/* u8: enum tquic_retry */
	/*
	 * 32 bytes, LISTEN and CONNECT: the key the socket derives its
	 * stateless reset tokens from (RFC 9000 §10.3.2). Kept across
	 * restarts, it lets the peers of connections lost with a restart
	 * learn so from their next packet. Without it: random per socket.
	 */
	TQUIC_A_RESET_KEY,		/* binary, TQUIC_RESET_KEY_LEN */
	TQUIC_A_KEEPALIVE_MS,		/* u32: PING after this long quiet, 0: never */
	TQUIC_A_STATELESS_RESET,	/* flag: the peer's stateless reset ended it */
	TQUIC_A_CIDS_ISSUED,		/* u64: our CIDs, the handshake's included */
	TQUIC_A_CIDS_RETIRED,		/* u64: of ours, retired by the peer */
	/*
	 * Flag, LISTEN and CONNECT: the connection (each one accepted)
	 * carries the namespace's bonded flows through tquic0 once its
	 * handshake is done; tquic0 and its netfilter hooks are made with
	 * the first such command.
	 */
	TQUIC_A_BOND,
	TQUIC_A_DGRAMS_TX,		/* u64: DATAGRAM frames (inner packets) sent */
	TQUIC_A_DGRAMS_RX,		/* u64: and received */
	TQUIC_A_ZONE,			/* u16: server: conntrack zone of its flows */
	TQUIC_A_STREAMS_TX,		/* u64: streams opened (TCP flows sent) */
	TQUIC_A_STREAMS_RX,		/* u64: streams the peer opened */
	TQUIC_A_STREAMS_OPEN,		/* u32: streams open now, both ways */
	TQUIC_A_STREAM_RETX,		/* u64: stream bytes sent again */
	__TQUIC_A_MAX,
};
#define TQUIC_A_MAX (__TQUIC_A_MAX - 1)

enum tquic_level {
	TQUIC_LEVEL_INITIAL,
	TQUIC_LEVEL_HANDSHAKE,
	TQUIC_LEVEL_APP,
};

enum tquic_direction {
	TQUIC_DIR_RX,		/* opens the peer's packets */
	TQUIC_DIR_TX,		/* protects ours */
};

enum tquic_state {
	TQUIC_STATE_HANDSHAKE,
	TQUIC_STATE_ESTABLISHED,
	TQUIC_STATE_CLOSING,
	TQUIC_STATE_DRAINING,
	TQUIC_STATE_CLOSED,
};

enum tquic_role {
	TQUIC_ROLE_CLIENT,
	TQUIC_ROLE_SERVER,
};

/*
 * When a listener answers a client's first Initial with a Retry (RFC 9000
 * §8.1.2), which proves the client's address before any state is kept.
 */
enum tquic_retry {
	TQUIC_RETRY_AUTO,	/* when many handshakes are under way */
	TQUIC_RETRY_ALWAYS,
};

#endif /* _UAPI_LINUX_TQUIC_H */
