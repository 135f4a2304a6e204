/*
 * tinyloc_runtime.c: the state machine of tinyloc_runtime.h. C99, no heap, no libm, no double.
 * Every write goes to rt's own buffers, at indices bounded by the model's sizes.
 */
#include "tinyloc_runtime.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off", "no-tree-loop-distribute-patterns")
#endif

#define TL_AGE_NONE 255u

static void tl_count(uint32_t *counter)
{
    if (*counter != 0xFFFFFFFFu)
    {
        (*counter)++;
    }
}

static void tl_copy(float *to, const float *from, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++)
    {
        to[i] = from[i];
    }
}

/* t - edge in microseconds (t in whole ms; the edge has a microsecond part). */
static int64_t tl_since_edge_us(const tl_runtime *rt, uint32_t t_ms)
{
    return (int64_t)(int32_t)(t_ms - rt->edge_ms) * 1000 - (int64_t)rt->edge_us;
}

/* Moves the edge by us microseconds (0 <= us). */
static void tl_move_edge(tl_runtime *rt, uint32_t us)
{
    uint32_t part = (uint32_t)rt->edge_us + us % 1000u;
    rt->edge_ms += us / 1000u + part / 1000u;
    rt->edge_us = (uint16_t)(part % 1000u);
}

/* The row being built: always the slot after the window's rows. */
static float *tl_open_row(const tl_runtime *rt)
{
    return rt->window + (int32_t)rt->rows * rt->model->features;
}

/* Starts the row clock at a reading at t_ms: row 0 is centred on it. */
static void tl_start_clock(tl_runtime *rt, uint32_t t_ms)
{
    rt->edge_ms = t_ms;
    rt->edge_us = 0;
    tl_move_edge(rt, rt->model->period_us / 2u);
    rt->clock_on = 1;
    tl_count(&rt->stats.clock_starts);
}

/* The class of the model's outputs, then the majority of the last `vote` classes. */
static int16_t tl_class_of(tl_runtime *rt)
{
    const tl_model *m = rt->model;
    int16_t best = 0;
    int32_t i, j;
    uint16_t most = 0;
    if (m->output_kind == TL_OUTPUT_PATH)
    {
        float tag = rt->output[m->outputs - 1];
        best = (int16_t)(tag >= 0.0f && tag < 32767.0f ? (int)tag : -1); /* a tag, as a whole number */
    }
    else
    {
        for (i = 1; i < m->outputs; i++)
        {
            if (rt->output[i] > rt->output[best])
            {
                best = (int16_t)i;
            }
        }
    }

    rt->votes[rt->vote_next] = best;
    rt->vote_next = (uint16_t)((rt->vote_next + 1u) % m->vote);
    if (rt->vote_count < m->vote)
    {
        rt->vote_count++;
    }

    /* Newest first, so that on equal counts the most recent class wins. */
    for (i = 1; i <= rt->vote_count; i++)
    {
        int16_t c = rt->votes[(rt->vote_next + m->vote - i) % m->vote];
        uint16_t n = 0;
        for (j = 1; j <= rt->vote_count; j++)
        {
            n = (uint16_t)(n + (rt->votes[(rt->vote_next + m->vote - j) % m->vote] == c));
        }

        if (n > most)
        {
            most = n;
            best = c;
        }
    }

    return best;
}

/* Runs the model on the full window and makes its answer. */
static void tl_answer_window(tl_runtime *rt, uint32_t row_ms)
{
    const tl_model *m = rt->model;
    m->predict(rt->window, rt->output);
    tl_count(&rt->stats.windows);
    rt->answer.values = rt->output;
    rt->answer.t_ms = row_ms;
    rt->answer.label = -1;
    if (m->output_kind == TL_OUTPUT_CLASSES || m->output_kind == TL_OUTPUT_PATH)
    {
        rt->answer.label = tl_class_of(rt);
    }
    else if (m->output_kind == TL_OUTPUT_POSITION)
    {
        if (rt->has_position)
        {
            float keep = 1.0f - m->alpha;
            rt->answer.x = m->alpha * rt->output[0] + keep * (rt->answer.x + rt->dx);
            rt->answer.y = m->alpha * rt->output[1] + keep * (rt->answer.y + rt->dy);
        }
        else
        {
            rt->answer.x = rt->output[0];
            rt->answer.y = rt->output[1];
            rt->has_position = 1;
        }

        rt->dx = 0.0f;
        rt->dy = 0.0f;
    }

    rt->ready = 1;
}

/* Adds the row being built (centred at row_ms) to the window; runs the model when a window is due. */
static void tl_add_row(tl_runtime *rt, uint32_t row_ms)
{
    const tl_model *m = rt->model;
    int32_t f = m->features;
    if (rt->in_session && (int32_t)(row_ms - rt->last_row_ms) > (int32_t)m->session_gap_ms)
    {
        tl_copy(rt->window, tl_open_row(rt), f);
        rt->rows = 0;
        rt->in_session = 0;
    }

    if (!rt->in_session)
    {
        rt->in_session = 1;
        tl_count(&rt->stats.sessions);
    }

    rt->last_row_ms = row_ms;
    rt->rows++;
    tl_count(&rt->stats.rows);
    if (rt->rows == m->window)
    {
        int32_t keep = (int32_t)m->window - (int32_t)m->hop;
        tl_answer_window(rt, row_ms);
        tl_copy(rt->window, rt->window + (int32_t)m->hop * f, keep * f);
        rt->rows = (uint16_t)keep;
        /* The new row starts from the last one (whose slot is keep - 1 now, or still window - 1). */
        tl_copy(tl_open_row(rt), rt->window + (keep > 0 ? keep - 1 : (int32_t)m->window - 1) * f, f);
    }
    else
    {
        tl_copy(tl_open_row(rt), tl_open_row(rt) - f, f);
    }
}

/* Ends the row being built: adds it (or skips it when no feature has a value) and ages the readings;
 * stops the clock when no reading can fill a later row. */
static void tl_close_row(tl_runtime *rt)
{
    const tl_model *m = rt->model;
    float *row = tl_open_row(rt);
    int32_t f;
    int any = 0, fillable = 0;
    uint32_t half = m->period_us / 2u;
    uint32_t centre_ms = rt->edge_ms - half / 1000u - (rt->edge_us < half % 1000u ? 1u : 0u);
    for (f = 0; f < m->features; f++)
    {
        if (rt->age[f] <= m->fill_rows)
        {
            any = 1;
        }
        else
        {
            row[f] = m->missing;
        }
    }

    if (any)
    {
        tl_add_row(rt, centre_ms);
    }
    else
    {
        tl_count(&rt->stats.empty_rows);
    }

    for (f = 0; f < m->features; f++)
    {
        if (rt->age[f] < TL_AGE_NONE)
        {
            rt->age[f]++;
        }

        fillable |= rt->age[f] <= m->fill_rows;
    }

    if (fillable)
    {
        tl_move_edge(rt, m->period_us);
    }
    else
    {
        rt->clock_on = 0;
    }
}

/* Forgets readings, rows, votes and position (the counters stay). */
static void tl_forget(tl_runtime *rt)
{
    int32_t f;
    for (f = 0; f < rt->model->features; f++)
    {
        rt->age[f] = (uint8_t)TL_AGE_NONE;
    }

    rt->rows = 0;
    rt->in_session = 0;
    rt->clock_on = 0;
    rt->has_position = 0;
    rt->ready = 0;
    rt->vote_count = 0;
    rt->vote_next = 0;
    rt->dx = 0.0f;
    rt->dy = 0.0f;
}

/* Closes every row that ends at or before t_ms. Returns 1 when a reading at t_ms belongs to the row
 * being built, -1 when it is older than that row, 0 when the clock is stopped (or just went back by
 * more than the session gap: then everything is forgotten). */
static int tl_advance(tl_runtime *rt, uint32_t t_ms)
{
    const tl_model *m = rt->model;
    int64_t since;
    if (!rt->clock_on)
    {
        return 0;
    }

    since = tl_since_edge_us(rt, t_ms);
    if (since < -(int64_t)m->period_us - (int64_t)m->session_gap_ms * 1000)
    {
        tl_forget(rt);
        return 0;
    }

    if (since < -(int64_t)m->period_us)
    {
        return -1;
    }

    while (rt->clock_on && since >= 0)
    {
        tl_close_row(rt);
        since = tl_since_edge_us(rt, t_ms);
    }

    return rt->clock_on;
}

static int tl_rssi_ok(float rssi)
{
    return rssi >= TL_RSSI_LOWEST && rssi <= TL_RSSI_HIGHEST; /* false for NaN */
}

void tl_init(tl_runtime *rt, const tl_model *model, float *window, float *output, uint8_t *age, int16_t *votes)
{
    tl_stats none = { 0, 0, 0, 0, 0, 0, 0, 0 };
    rt->model = model;
    rt->window = window;
    rt->output = output;
    rt->age = age;
    rt->votes = votes;
    rt->stats = none;
    rt->answer.values = output;
    rt->answer.t_ms = 0;
    rt->answer.x = 0.0f;
    rt->answer.y = 0.0f;
    rt->answer.label = -1;
    rt->edge_ms = 0;
    rt->edge_us = 0;
    rt->last_row_ms = 0;
    tl_forget(rt);
}

void tl_reset(tl_runtime *rt)
{
    tl_forget(rt);
}

void tl_push_feature(tl_runtime *rt, int32_t feature, float rssi, uint32_t t_ms)
{
    int state = tl_advance(rt, t_ms);
    if (feature < 0 || feature >= rt->model->features)
    {
        tl_count(&rt->stats.unknown_ids);
        return;
    }

    if (!tl_rssi_ok(rssi))
    {
        tl_count(&rt->stats.invalid);
        return;
    }

    if (state < 0)
    {
        tl_count(&rt->stats.late);
        return;
    }

    if (state == 0)
    {
        tl_start_clock(rt, t_ms);
    }

    tl_open_row(rt)[feature] = rssi;
    rt->age[feature] = 0;
}

void tl_push(tl_runtime *rt, const char *id, float rssi, uint32_t t_ms)
{
    tl_push_feature(rt, id ? tl_feature_of(rt->model, id) : -1, rssi, t_ms);
}

void tl_push_motion(tl_runtime *rt, float dx, float dy, uint32_t t_ms)
{
    (void)tl_advance(rt, t_ms);
    if (!(dx - dx == 0.0f) || !(dy - dy == 0.0f)) /* NaN or infinite */
    {
        tl_count(&rt->stats.invalid);
        return;
    }

    rt->dx += dx;
    rt->dy += dy;
}

int tl_poll(tl_runtime *rt, uint32_t t_ms, tl_answer *answer)
{
    (void)tl_advance(rt, t_ms);
    if (!rt->ready)
    {
        return 0;
    }

    rt->ready = 0;
    if (answer)
    {
        *answer = rt->answer;
    }

    return 1;
}

static int tl_compare(const char *a, const char *b)
{
    while (*a && *a == *b)
    {
        a++;
        b++;
    }

    return (int)(unsigned char)*a - (int)(unsigned char)*b;
}

int32_t tl_feature_of(const tl_model *model, const char *id)
{
    int32_t lo = 0, hi = (int32_t)model->features - 1;
    while (lo <= hi)
    {
        int32_t mid = lo + (hi - lo) / 2;
        int c = tl_compare(id, model->beacons[mid].id);
        if (c == 0)
        {
            return model->beacons[mid].feature;
        }

        if (c < 0)
        {
            hi = mid - 1;
        }
        else
        {
            lo = mid + 1;
        }
    }

    return -1;
}
