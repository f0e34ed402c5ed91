// SPDX-License-Identifier: GPL-2.0
#include "clock.h"

int clock_guard_scale = 1;
