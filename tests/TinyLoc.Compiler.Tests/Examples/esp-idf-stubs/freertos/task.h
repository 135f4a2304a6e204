/* Declarations for the compile check only (README.md): task.h of FreeRTOS as ESP-IDF v5.x ships it. */
#pragma once

#include "freertos/FreeRTOS.h"

void vTaskDelay(const TickType_t xTicksToDelay);
