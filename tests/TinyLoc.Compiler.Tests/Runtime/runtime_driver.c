/*
 * runtime_driver.c: drives runtime/c/tinyloc_runtime.c from a script on stdin and prints what it answers, so that
 * a test can compare it with the C# runtime line by line (RuntimeScript.cs writes the same lines).
 *
 * Script (from the file named by the first argument, else stdin; floats as the hex of their IEEE bits):
 *   model F T HOP OUTPUTS KIND PERIOD_US FILL_ROWS SESSION_GAP_MS MISSING VOTE ALPHA CAPTURE
 *   p FEATURE RSSI T      tl_push_feature          s ID RSSI T    tl_push (ID a token)
 *   m DX DY T             tl_push_motion           q T            tl_poll
 *   r                     tl_reset
 * Output: "w ..." for each window the model gets (CAPTURE 1), "a T LABEL X Y V0 V1 ..." for each answer a poll
 * returns, and at the end "stats ..." (the counters).
 * The model is a stand-in with the same arithmetic in C and C#: output k = 0.01 * the sum of window[i] for
 * i = k (mod OUTPUTS), in order; a tag path's last output is the count of values above -80 (mod OUTPUTS).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tinyloc_runtime.h"

#define MAX_FEATURES 64
#define MAX_WINDOW 64
#define MAX_OUTPUTS 16
#define MAX_VOTE 16

static tl_model model;
static tl_runtime rt;
static tl_beacon beacons[MAX_FEATURES];
static char names[MAX_FEATURES][8];
static float window_buf[MAX_FEATURES * MAX_WINDOW];
static float output_buf[MAX_OUTPUTS];
static uint8_t age_buf[MAX_FEATURES];
static int16_t vote_buf[MAX_VOTE];
static int capture;

static float from_bits(unsigned long bits)
{
    uint32_t b = (uint32_t)bits;
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}

static unsigned long to_bits(float f)
{
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    return (unsigned long)b;
}

static void stand_in(const float *input, float *output)
{
    int n = model.features * model.window, k, i;
    if (capture)
    {
        printf("w");
        for (i = 0; i < n; i++)
        {
            printf(" %08lx", to_bits(input[i]));
        }

        printf("\n");
    }

    for (k = 0; k < model.outputs; k++)
    {
        float acc = 0.0f;
        for (i = k; i < n; i += model.outputs)
        {
            acc += input[i];
        }

        output[k] = acc * 0.01f;
    }

    if (model.output_kind == TL_OUTPUT_PATH)
    {
        int above = 0;
        for (i = 0; i < n; i++)
        {
            above += input[i] > -80.0f;
        }

        output[model.outputs - 1] = (float)(above % model.outputs);
    }
}

static void sort_beacons(void)
{
    int i, j;
    for (i = 1; i < model.features; i++)
    {
        for (j = i; j > 0 && strcmp(beacons[j - 1].id, beacons[j].id) > 0; j--)
        {
            tl_beacon t = beacons[j];
            beacons[j] = beacons[j - 1];
            beacons[j - 1] = t;
        }
    }
}

int main(int argc, char **argv)
{
    char op[16], id[64];
    unsigned long a, b, t;
    long feature;
    unsigned f, w, hop, outputs, kind, period, fill, gap, vote;
    unsigned long missing, alpha;
    int i;
    if (argc > 1 && !freopen(argv[1], "r", stdin))
    {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }

    if (scanf("%15s %u %u %u %u %u %u %u %u %lx %u %lx %d", op, &f, &w, &hop, &outputs, &kind, &period, &fill, &gap, &missing, &vote, &alpha, &capture) != 13
        || strcmp(op, "model") != 0 || f < 1 || f > MAX_FEATURES || w < 1 || w > MAX_WINDOW || outputs < 1 || outputs > MAX_OUTPUTS || vote < 1 || vote > MAX_VOTE)
    {
        fprintf(stderr, "bad model line\n");
        return 2;
    }

    for (i = 0; i < (int)f; i++)
    {
        sprintf(names[i], "f%d", i);
        beacons[i].id = names[i];
        beacons[i].feature = (uint16_t)i;
    }

    model.beacons = beacons;
    model.predict = stand_in;
    model.period_us = period;
    model.session_gap_ms = gap;
    model.missing = from_bits(missing);
    model.alpha = from_bits(alpha);
    model.features = (uint16_t)f;
    model.window = (uint16_t)w;
    model.hop = (uint16_t)hop;
    model.outputs = (uint16_t)outputs;
    model.vote = (uint16_t)vote;
    model.fill_rows = (uint8_t)fill;
    model.output_kind = (uint8_t)kind;
    sort_beacons();
    tl_init(&rt, &model, window_buf, output_buf, age_buf, vote_buf);
    while (scanf("%15s", op) == 1)
    {
        tl_answer answer;
        if (op[0] == 'p' && scanf("%ld %lx %lu", &feature, &a, &t) == 3)
        {
            tl_push_feature(&rt, (int32_t)feature, from_bits(a), (uint32_t)t);
        }
        else if (op[0] == 's' && scanf("%63s %lx %lu", id, &a, &t) == 3)
        {
            tl_push(&rt, id, from_bits(a), (uint32_t)t);
        }
        else if (op[0] == 'm' && scanf("%lx %lx %lu", &a, &b, &t) == 3)
        {
            tl_push_motion(&rt, from_bits(a), from_bits(b), (uint32_t)t);
        }
        else if (op[0] == 'q' && scanf("%lu", &t) == 1)
        {
            if (tl_poll(&rt, (uint32_t)t, &answer))
            {
                printf("a %lu %d %08lx %08lx", (unsigned long)answer.t_ms, answer.label, to_bits(answer.x), to_bits(answer.y));
                for (i = 0; i < model.outputs; i++)
                {
                    printf(" %08lx", to_bits(answer.values[i]));
                }

                printf("\n");
            }
        }
        else if (op[0] == 'r')
        {
            tl_reset(&rt);
        }
        else
        {
            fprintf(stderr, "bad line at '%s'\n", op);
            return 2;
        }
    }

    printf("stats %lu %lu %lu %lu %lu %lu %lu %lu\n", (unsigned long)rt.stats.unknown_ids, (unsigned long)rt.stats.invalid,
        (unsigned long)rt.stats.late, (unsigned long)rt.stats.clock_starts, (unsigned long)rt.stats.rows,
        (unsigned long)rt.stats.empty_rows, (unsigned long)rt.stats.windows, (unsigned long)rt.stats.sessions);
    return 0;
}
