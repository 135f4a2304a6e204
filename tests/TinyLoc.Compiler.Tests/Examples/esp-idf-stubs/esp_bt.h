/* Declarations for the compile check only (README.md): the controller API of esp_bt.h, ESP-IDF v5.x. */
#pragma once

#include <stdint.h>
#include "esp_err.h"

typedef enum
{
    ESP_BT_MODE_IDLE = 0x00,
    ESP_BT_MODE_BLE = 0x01,
    ESP_BT_MODE_CLASSIC_BT = 0x02,
    ESP_BT_MODE_BTDM = 0x03
} esp_bt_mode_t;

/* The real struct's fields differ per chip and come from Kconfig; main.c only passes it on. */
typedef struct
{
    uint32_t placeholder;
} esp_bt_controller_config_t;

#define BT_CONTROLLER_INIT_CONFIG_DEFAULT() {0}

esp_err_t esp_bt_controller_mem_release(esp_bt_mode_t mode);
esp_err_t esp_bt_controller_init(esp_bt_controller_config_t *cfg);
esp_err_t esp_bt_controller_enable(esp_bt_mode_t mode);
