/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* One frame of every type: for the frame unit test and the fuzz seeds. */
#ifndef _TQUIC_TEST_SAMPLE_FRAMES_H
#define _TQUIC_TEST_SAMPLE_FRAMES_H

#include "frame.h"

#define TQUIC_SAMPLE_NFRAMES 64

extern const u8 tquic_sample_data[19];
size_t tquic_sample_frames(struct tquic_frame *fs);

#endif
