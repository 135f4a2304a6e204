/* Declarations for the compile check only (README.md): esp_timer.h of ESP-IDF v5.x. */
#pragma once

#include <stdint.h>

/* Microseconds since boot. */
int64_t esp_timer_get_time(void);
