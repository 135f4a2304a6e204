/* Declarations for the compile check only (README.md): queue.h of FreeRTOS as ESP-IDF v5.x ships it. */
#pragma once

#include "freertos/FreeRTOS.h"

typedef struct QueueDefinition *QueueHandle_t;

#define queueSEND_TO_BACK ((BaseType_t)0)
#define queueQUEUE_TYPE_BASE ((uint8_t)0U)

QueueHandle_t xQueueGenericCreateStatic(const UBaseType_t uxQueueLength, const UBaseType_t uxItemSize,
                                        uint8_t *pucQueueStorage, StaticQueue_t *pxStaticQueue,
                                        const uint8_t ucQueueType);
BaseType_t xQueueGenericSend(QueueHandle_t xQueue, const void *const pvItemToQueue, TickType_t xTicksToWait,
                             const BaseType_t xCopyPosition);
BaseType_t xQueueReceive(QueueHandle_t xQueue, void *const pvBuffer, TickType_t xTicksToWait);

#define xQueueCreateStatic(length, item_size, storage, state) \
    xQueueGenericCreateStatic((length), (item_size), (storage), (state), queueQUEUE_TYPE_BASE)
#define xQueueSend(queue, item, ticks) xQueueGenericSend((queue), (item), (ticks), queueSEND_TO_BACK)
