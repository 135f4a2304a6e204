/* Declarations for the compile check only (README.md): esp_bt_main.h of ESP-IDF v5.x (Bluedroid). */
#pragma once

#include "esp_err.h"

esp_err_t esp_bluedroid_init(void);
esp_err_t esp_bluedroid_enable(void);
