/* Declarations for the compile check only (README.md): nvs_flash.h of ESP-IDF v5.x. */
#pragma once

#include "nvs.h"

esp_err_t nvs_flash_init(void);
esp_err_t nvs_flash_erase(void);
