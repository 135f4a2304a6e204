/*
 * tinyloc_runtime.h: from raw beacon readings to a room (or x, y) on the device.
 * Part of TinyLoc.Compiler (runtime/c). C99, no heap, no libm, no double; nothing writes outside the
 * runtime's own state. The C# runtime (runtime/TinyLoc.Runtime) is the same state machine and gives
 * the same bits.
 *
 * The pipeline, driven by the caller's clock (milliseconds, any origin, wrapping at 2^32):
 *   1. tl_push(...) records a reading: the latest value of its feature in the row being built.
 *      Unknown ids, NaN and values outside [TL_RSSI_LOWEST, TL_RSSI_HIGHEST] dBm are counted and
 *      ignored (a reading that is not a reading is "not received").
 *   2. Rows at a fixed period P: row k covers [t0 + (k - 1/2) P, t0 + (k + 1/2) P), t0 = the reading
 *      that started the clock. A feature read in no row carries its latest value into the next
 *      fill_rows rows, then takes the model's "not received" code. A row in which no feature has a
 *      value is skipped (the window does not move); when nothing can fill any later row the clock
 *      stops and the next reading restarts it.
 *   3. Windows of T rows, every hop rows: the model runs on the window in place (time-major
 *      x[t * F + f], raw dBm). Rows further apart than session_gap_ms start a new window (the
 *      first answer comes T rows later), as the training scripts cut their recordings.
 *   4. The answer: the class (argmax, lowest index on ties, or a CRF's last tag), optionally the
 *      majority of the last `vote` answers (ties to the most recent); or x, y through the
 *      complementary filter p = alpha * p_model + (1 - alpha) * (p_prev + motion since the last answer).
 * Time rules: a reading older than the row being built is dropped (counted as late); a clock that
 * goes back by more than session_gap_ms, or a reading after the clock stopped, starts afresh.
 */
#ifndef TINYLOC_RUNTIME_H
#define TINYLOC_RUNTIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Readings outside this range (dBm), and NaN, are treated as not received. */
#define TL_RSSI_LOWEST (-150.0f)
#define TL_RSSI_HIGHEST 30.0f

/* What a model's outputs are. */
#define TL_OUTPUT_CLASSES 0  /* class scores: the answer is the argmax */
#define TL_OUTPUT_PATH 1     /* a CRF's decoded tag path: the answer is the last tag */
#define TL_OUTPUT_POSITION 2 /* x, y: filtered with the motion pushed since the last answer */
#define TL_OUTPUT_VALUES 3   /* other regression outputs, passed through */

/* One beacon id and the model input (feature) it feeds; a model's table is sorted by id (bytes). */
typedef struct tl_beacon
{
    const char *id;
    uint16_t feature;
} tl_beacon;

/* A model as the runtime sees it: generated per model (NAME_model), constant. */
typedef struct tl_model
{
    const tl_beacon *beacons;                          /* sorted by id, byte order */
    void (*predict)(const float *input, float *output); /* the generated NAME_predict */
    uint32_t period_us;                                /* row period P */
    uint32_t session_gap_ms;                           /* rows further apart start a new window */
    float missing;                                     /* the raw value written for "not received" */
    float alpha;                                       /* complementary filter weight of the model's position */
    uint16_t features;                                 /* F */
    uint16_t window;                                   /* T rows per window */
    uint16_t hop;                                      /* rows between windows */
    uint16_t outputs;
    uint16_t vote;                                     /* answers in the majority vote (1: none) */
    uint8_t fill_rows;                                 /* rows a reading is carried into */
    uint8_t output_kind;                               /* TL_OUTPUT_* */
} tl_model;

/* Counters a caller can read (they saturate at 2^32 - 1). */
typedef struct tl_stats
{
    uint32_t unknown_ids;   /* pushes whose id or feature index the model does not have */
    uint32_t invalid;       /* NaN or out-of-range RSSI, non-finite motion */
    uint32_t late;          /* readings older than the row being built */
    uint32_t clock_starts;  /* the row clock (re)started: first reading, after silence, clock went back */
    uint32_t rows;          /* rows added to a window */
    uint32_t empty_rows;    /* rows skipped because no feature had a value */
    uint32_t windows;       /* model runs */
    uint32_t sessions;      /* windows started afresh (first row, gaps longer than session_gap_ms) */
} tl_stats;

/* The latest answer. */
typedef struct tl_answer
{
    const float *values; /* the model's outputs for the window (valid until the next answer) */
    uint32_t t_ms;       /* centre of the window's last row */
    float x, y;          /* TL_OUTPUT_POSITION: the filtered position */
    int16_t label;       /* TL_OUTPUT_CLASSES / TL_OUTPUT_PATH: the class (after the vote); else -1 */
} tl_answer;

/* The runtime's state. Declare the model's NAME_runtime (it holds this and the buffers) wherever the
 * firmware wants it: static, in a RAM bank's section, or one per instance. */
typedef struct tl_runtime
{
    const tl_model *model;
    float *window;    /* [window * features]: the rows of the current window, then the row being built */
    float *output;    /* [outputs] */
    uint8_t *age;     /* [features]: rows since each feature's latest reading (255: none) */
    int16_t *votes;   /* [vote]: the last answers' classes */
    tl_answer answer;
    tl_stats stats;
    uint32_t edge_ms;        /* end of the row being built: edge_ms + edge_us / 1000 */
    uint32_t last_row_ms;    /* centre of the last row added to the window */
    float dx, dy;            /* motion since the last answer */
    uint16_t edge_us;
    uint16_t rows;           /* rows in the window */
    uint16_t vote_count;
    uint16_t vote_next;
    uint8_t clock_on;        /* rows are being built */
    uint8_t in_session;      /* the window holds rows of the current session */
    uint8_t has_position;
    uint8_t ready;           /* a new answer waits for tl_poll */
} tl_runtime;

/* Sets up rt over the caller's buffers (the generated NAME_runtime_init does this for you). */
void tl_init(tl_runtime *rt, const tl_model *model, float *window, float *output, uint8_t *age, int16_t *votes);

/* Forgets every reading, row, vote and position; keeps the counters. */
void tl_reset(tl_runtime *rt);

/* A reading of beacon `id` (NUL-terminated; compared byte by byte with the model's feature names). */
void tl_push(tl_runtime *rt, const char *id, float rssi, uint32_t t_ms);

/* A reading of model input `feature` (0 .. F - 1), for callers that map ids themselves. */
void tl_push_feature(tl_runtime *rt, int32_t feature, float rssi, uint32_t t_ms);

/* Displacement (metres, the model's axes) since the previous call, e.g. from dead reckoning. */
void tl_push_motion(tl_runtime *rt, float dx, float dy, uint32_t t_ms);

/* Advances the clock to t_ms; returns 1 and copies the answer when a new one is ready, else 0. */
int tl_poll(tl_runtime *rt, uint32_t t_ms, tl_answer *answer);

/* The feature of a beacon id, or -1 (binary search, no allocation). */
int32_t tl_feature_of(const tl_model *model, const char *id);

#ifdef __cplusplus
}
#endif

#endif /* TINYLOC_RUNTIME_H */
