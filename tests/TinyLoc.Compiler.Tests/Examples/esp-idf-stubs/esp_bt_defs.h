/* Declarations for the compile check only (README.md): esp_bt_defs.h of ESP-IDF v5.x (Bluedroid). */
#pragma once

#include <stdint.h>

#define ESP_BD_ADDR_LEN 6
typedef uint8_t esp_bd_addr_t[ESP_BD_ADDR_LEN];

/* Only the success value; the real enum lists every status. */
typedef enum
{
    ESP_BT_STATUS_SUCCESS = 0,
    ESP_BT_STATUS_FAIL
} esp_bt_status_t;

typedef enum
{
    BLE_ADDR_TYPE_PUBLIC = 0x00,
    BLE_ADDR_TYPE_RANDOM = 0x01,
    BLE_ADDR_TYPE_RPA_PUBLIC = 0x02,
    BLE_ADDR_TYPE_RPA_RANDOM = 0x03
} esp_ble_addr_type_t;

typedef enum
{
    ESP_BT_DEVICE_TYPE_BREDR = 0x01,
    ESP_BT_DEVICE_TYPE_BLE = 0x02,
    ESP_BT_DEVICE_TYPE_DUMO = 0x03
} esp_bt_dev_type_t;
