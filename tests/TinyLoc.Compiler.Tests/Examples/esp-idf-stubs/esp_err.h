/* Declarations for the compile check only (README.md): esp_err.h of ESP-IDF v5.x. */
#pragma once

typedef int esp_err_t;

#define ESP_OK 0
#define ESP_FAIL -1

const char *esp_err_to_name(esp_err_t code);

/* The real macro aborts with the file and line; here it only evaluates x as an esp_err_t. */
#define ESP_ERROR_CHECK(x)                 \
    do                                     \
    {                                      \
        esp_err_t esp_error_check_ = (x);  \
        (void)esp_error_check_;            \
    } while (0)
