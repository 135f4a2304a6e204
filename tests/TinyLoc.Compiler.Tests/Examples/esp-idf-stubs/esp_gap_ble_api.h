/*
 * Declarations for the compile check only (README.md): the legacy (BLE 4.2) scanning part of
 * esp_gap_ble_api.h, ESP-IDF v5.x. Enumerators keep their real values; the callback parameter union
 * has only the members main.c reads, each with its real leading fields.
 */
#pragma once

#include <stdint.h>
#include "esp_bt_defs.h"
#include "esp_err.h"

typedef enum
{
    ESP_GAP_BLE_ADV_DATA_SET_COMPLETE_EVT = 0,
    ESP_GAP_BLE_SCAN_RSP_DATA_SET_COMPLETE_EVT,
    ESP_GAP_BLE_SCAN_PARAM_SET_COMPLETE_EVT,
    ESP_GAP_BLE_SCAN_RESULT_EVT,
    ESP_GAP_BLE_ADV_DATA_RAW_SET_COMPLETE_EVT,
    ESP_GAP_BLE_SCAN_RSP_DATA_RAW_SET_COMPLETE_EVT,
    ESP_GAP_BLE_ADV_START_COMPLETE_EVT,
    ESP_GAP_BLE_SCAN_START_COMPLETE_EVT
} esp_gap_ble_cb_event_t;

typedef enum
{
    BLE_SCAN_TYPE_PASSIVE = 0x0,
    BLE_SCAN_TYPE_ACTIVE = 0x1
} esp_ble_scan_type_t;

typedef enum
{
    BLE_SCAN_FILTER_ALLOW_ALL = 0x0,
    BLE_SCAN_FILTER_ALLOW_ONLY_WLST = 0x1,
    BLE_SCAN_FILTER_ALLOW_UND_RPA_DIR = 0x2,
    BLE_SCAN_FILTER_ALLOW_WLIST_RPA_DIR = 0x3
} esp_ble_scan_filter_t;

typedef enum
{
    BLE_SCAN_DUPLICATE_DISABLE = 0x0,
    BLE_SCAN_DUPLICATE_ENABLE = 0x1
} esp_ble_scan_duplicate_t;

typedef struct
{
    esp_ble_scan_type_t scan_type;
    esp_ble_addr_type_t own_addr_type;
    esp_ble_scan_filter_t scan_filter_policy;
    uint16_t scan_interval; /* units of 0.625 ms */
    uint16_t scan_window;   /* units of 0.625 ms */
    esp_ble_scan_duplicate_t scan_duplicate;
} esp_ble_scan_params_t;

typedef enum
{
    ESP_GAP_SEARCH_INQ_RES_EVT = 0,
    ESP_GAP_SEARCH_INQ_CMPL_EVT = 1
} esp_gap_search_evt_t;

typedef enum
{
    ESP_BLE_EVT_CONN_ADV = 0x00,
    ESP_BLE_EVT_CONN_DIR_ADV = 0x01,
    ESP_BLE_EVT_DISC_ADV = 0x02,
    ESP_BLE_EVT_NON_CONN_ADV = 0x03,
    ESP_BLE_EVT_SCAN_RSP = 0x04
} esp_ble_evt_type_t;

typedef union
{
    struct ble_scan_param_cmpl_evt_param
    {
        esp_bt_status_t status;
    } scan_param_cmpl;
    struct ble_scan_result_evt_param
    {
        esp_gap_search_evt_t search_evt;
        esp_bd_addr_t bda;
        esp_bt_dev_type_t dev_type;
        esp_ble_addr_type_t ble_addr_type;
        esp_ble_evt_type_t ble_evt_type;
        int rssi;
    } scan_rst;
    struct ble_scan_start_cmpl_evt_param
    {
        esp_bt_status_t status;
    } scan_start_cmpl;
} esp_ble_gap_cb_param_t;

typedef void (*esp_gap_ble_cb_t)(esp_gap_ble_cb_event_t event, esp_ble_gap_cb_param_t *param);

esp_err_t esp_ble_gap_register_callback(esp_gap_ble_cb_t callback);
esp_err_t esp_ble_gap_set_scan_params(esp_ble_scan_params_t *scan_params);
esp_err_t esp_ble_gap_start_scanning(uint32_t duration);
