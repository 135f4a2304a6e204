/*
 * main.c: BLE advertisements in, the room out. The BT task's GAP callback turns each scan result from
 * one of the six anchors into a reading and queues it; the app task (app_main) drains the queue into
 * the kolakowski_mamba runtime, polls it every 100 ms and logs each new answer. Only the app task
 * touches the runtime, so it needs no lock.
 */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "freertos/FreeRTOS.h"
#include "freertos/queue.h"
#include "freertos/task.h"
#include "esp_bt.h"
#include "esp_bt_main.h"
#include "esp_err.h"
#include "esp_gap_ble_api.h"
#include "esp_log.h"
#include "esp_timer.h"
#include "nvs_flash.h"

#include "kolakowski_mamba.h"

/* ---------------------------------------------------------------------------------------------
 * EDIT THIS: your anchors' Bluetooth addresses. The model's inputs are rssi_1 .. rssi_6, the RSSI
 * of anchors 1 .. 6 of the flat it was trained in (Kolakowski 2021); feature k is anchor k + 1.
 * Write each address as the log shows it (set SHOW_ADVERTISERS to 1 to list what the scan hears).
 * The addresses below are placeholders.
 * --------------------------------------------------------------------------------------------- */
typedef struct
{
    esp_bd_addr_t addr;
    int32_t feature;
} anchor;

static const anchor anchors[] = {
    {{0x00, 0x00, 0x00, 0x00, 0x00, 0x01}, 0}, /* anchor 1 -> rssi_1 */
    {{0x00, 0x00, 0x00, 0x00, 0x00, 0x02}, 1}, /* anchor 2 -> rssi_2 */
    {{0x00, 0x00, 0x00, 0x00, 0x00, 0x03}, 2}, /* anchor 3 -> rssi_3 */
    {{0x00, 0x00, 0x00, 0x00, 0x00, 0x04}, 3}, /* anchor 4 -> rssi_4 */
    {{0x00, 0x00, 0x00, 0x00, 0x00, 0x05}, 4}, /* anchor 5 -> rssi_5 */
    {{0x00, 0x00, 0x00, 0x00, 0x00, 0x06}, 5}, /* anchor 6 -> rssi_6 */
};

/* 1: log every advertisement heard (address, RSSI), to fill in the table above. */
#define SHOW_ADVERTISERS 0
/* ------------------------------------------------------------------------------------------- */

#define POLL_MS 100
#define STATS_EVERY_POLLS 100 /* the runtime's counters every 10 s */
#define QUEUE_LENGTH 64       /* readings between two polls: six anchors advertising every 100 ms give about 6 */

static const char *TAG = "tinyloc";

/* One reading, from the BT task to the app task. */
typedef struct
{
    int32_t feature;
    float rssi;
    uint32_t t_ms;
} reading;

static kolakowski_mamba_runtime loc; /* the model's window, outputs, reading ages and counters */

static StaticQueue_t queue_state;
static uint8_t queue_storage[QUEUE_LENGTH * sizeof(reading)];
static QueueHandle_t readings;
static volatile uint32_t readings_dropped; /* queue full; written by the BT task only */

static esp_ble_scan_params_t scan_params = {
    .scan_type = BLE_SCAN_TYPE_PASSIVE,
    .own_addr_type = BLE_ADDR_TYPE_PUBLIC,
    .scan_filter_policy = BLE_SCAN_FILTER_ALLOW_ALL,
    .scan_interval = 0x50, /* 50 ms, in units of 0.625 ms */
    .scan_window = 0x50,   /* the whole interval: listen all the time */
    .scan_duplicate = BLE_SCAN_DUPLICATE_DISABLE, /* every advertisement, not only a device's first */
};

/* The runtime's clock: milliseconds since boot, wrapping at 2^32 (the runtime allows for that). */
static uint32_t now_ms(void)
{
    return (uint32_t)(esp_timer_get_time() / 1000);
}

static int32_t feature_of(const uint8_t *addr)
{
    for (size_t i = 0; i < sizeof anchors / sizeof anchors[0]; i++)
    {
        if (memcmp(anchors[i].addr, addr, ESP_BD_ADDR_LEN) == 0)
        {
            return anchors[i].feature;
        }
    }

    return -1;
}

/* Runs in the BT task: never block here, never touch the runtime. */
static void on_gap_event(esp_gap_ble_cb_event_t event, esp_ble_gap_cb_param_t *param)
{
    switch (event)
    {
    case ESP_GAP_BLE_SCAN_PARAM_SET_COMPLETE_EVT:
    {
        esp_err_t err = esp_ble_gap_start_scanning(0); /* 0: until stopped */
        if (err != ESP_OK)
        {
            ESP_LOGE(TAG, "start scanning: %s", esp_err_to_name(err));
        }
        break;
    }
    case ESP_GAP_BLE_SCAN_START_COMPLETE_EVT:
        if (param->scan_start_cmpl.status != ESP_BT_STATUS_SUCCESS)
        {
            ESP_LOGE(TAG, "scan did not start: status %d", (int)param->scan_start_cmpl.status);
        }
        else
        {
            ESP_LOGI(TAG, "scanning");
        }
        break;
    case ESP_GAP_BLE_SCAN_RESULT_EVT:
        if (param->scan_rst.search_evt == ESP_GAP_SEARCH_INQ_RES_EVT)
        {
            const uint8_t *a = param->scan_rst.bda;
            reading r = {feature_of(a), (float)param->scan_rst.rssi, now_ms()};
            if (SHOW_ADVERTISERS)
            {
                ESP_LOGI(TAG, "heard %02x:%02x:%02x:%02x:%02x:%02x %d dBm%s", a[0], a[1], a[2], a[3], a[4], a[5],
                         param->scan_rst.rssi, r.feature >= 0 ? " (anchor)" : "");
            }
            if (r.feature >= 0 && xQueueSend(readings, &r, 0) != pdTRUE)
            {
                readings_dropped++;
            }
        }
        break;
    default:
        break;
    }
}

static void init_ble_scan(void)
{
    esp_err_t err = nvs_flash_init();
    if (err == ESP_ERR_NVS_NO_FREE_PAGES || err == ESP_ERR_NVS_NEW_VERSION_FOUND)
    {
        ESP_ERROR_CHECK(nvs_flash_erase());
        err = nvs_flash_init();
    }
    ESP_ERROR_CHECK(err);

    ESP_ERROR_CHECK(esp_bt_controller_mem_release(ESP_BT_MODE_CLASSIC_BT)); /* BLE only */
    esp_bt_controller_config_t bt_config = BT_CONTROLLER_INIT_CONFIG_DEFAULT();
    ESP_ERROR_CHECK(esp_bt_controller_init(&bt_config));
    ESP_ERROR_CHECK(esp_bt_controller_enable(ESP_BT_MODE_BLE));
    ESP_ERROR_CHECK(esp_bluedroid_init());
    ESP_ERROR_CHECK(esp_bluedroid_enable());

    ESP_ERROR_CHECK(esp_ble_gap_register_callback(on_gap_event));
    ESP_ERROR_CHECK(esp_ble_gap_set_scan_params(&scan_params)); /* scanning starts when this completes */
}

static void log_stats(const tl_stats *s)
{
    ESP_LOGI(TAG,
             "rows %" PRIu32 " (empty %" PRIu32 "), windows %" PRIu32 ", sessions %" PRIu32
             ", clock starts %" PRIu32 ", late %" PRIu32 ", invalid %" PRIu32 ", queue full %" PRIu32,
             s->rows, s->empty_rows, s->windows, s->sessions, s->clock_starts, s->late, s->invalid,
             readings_dropped);
}

void app_main(void)
{
    kolakowski_mamba_runtime_init(&loc);
    readings = xQueueCreateStatic(QUEUE_LENGTH, sizeof(reading), queue_storage, &queue_state);
    init_ble_scan();
    ESP_LOGI(TAG, "model %s: %d rooms, RAM %d B, flash ~%d B", KOLAKOWSKI_MAMBA_HASH, KOLAKOWSKI_MAMBA_OUTPUT_COUNT,
             KOLAKOWSKI_MAMBA_RAM_BYTES, KOLAKOWSKI_MAMBA_FLASH_BYTES_ESTIMATE);

    for (uint32_t polls = 1;; polls++)
    {
        vTaskDelay(pdMS_TO_TICKS(POLL_MS));

        reading r;
        while (xQueueReceive(readings, &r, 0) == pdTRUE)
        {
            tl_push_feature(&loc.core, r.feature, r.rssi, r.t_ms);
        }

        tl_answer answer;
        if (tl_poll(&loc.core, now_ms(), &answer) && answer.label >= 0)
        {
            ESP_LOGI(TAG, "room %s (window ending at %" PRIu32 " ms)", kolakowski_mamba_labels[answer.label],
                     answer.t_ms);
        }

        if (polls % STATS_EVERY_POLLS == 0)
        {
            log_stats(&loc.core.stats);
        }
    }
}
