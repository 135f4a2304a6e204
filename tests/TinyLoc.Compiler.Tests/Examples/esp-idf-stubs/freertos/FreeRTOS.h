/* Declarations for the compile check only (README.md): FreeRTOS.h with ESP-IDF v5.x's RISC-V port types. */
#pragma once

#include <stdint.h>

typedef int BaseType_t;
typedef unsigned int UBaseType_t;
typedef uint32_t TickType_t;

#define pdFALSE ((BaseType_t)0)
#define pdTRUE ((BaseType_t)1)
#define pdPASS pdTRUE

#define configTICK_RATE_HZ 100
#define pdMS_TO_TICKS(ms) ((TickType_t)(((TickType_t)(ms) * (TickType_t)configTICK_RATE_HZ) / (TickType_t)1000U))

/* The memory a statically created queue keeps its state in; the real struct's fields are private. */
typedef struct xSTATIC_QUEUE
{
    void *placeholder[20];
} StaticQueue_t;
