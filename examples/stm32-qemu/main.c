/*
 * stm32-qemu: the Kolakowski robot run, replayed through the runtime and the generated kolakowski_mlp on a
 * Cortex-M4 (QEMU mps2-an386) or on the host, with the same bits on both.
 *
 * It reads the recording (robot.csv: test_robot_df.csv.gz unpacked) through semihosting (stdio on the host),
 * pushes every non-empty RSSI cell at its row's time in milliseconds (the column name, rssi_1 .. rssi_6, is the
 * beacon id the model knows), polls the runtime, and compares each answer
 * with the robot's ground truth: the model's own position (answer.values, what `tinyloc evaluate` scores) and the
 * complementary filter's (answer.x, answer.y; there is no IMU in this recording, so it only smooths).
 * Prints a few positions, a hash of every answer's bits, the mean errors in metres, and the mean errors' doubles
 * as bits (for the tests).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kolakowski_mlp.h"

#define MAX_LINE 512
#define MAX_COLUMNS 16
#define PENDING 8 /* rows whose answer is not out yet: the runtime answers a row when the next one starts */

typedef struct truth
{
    uint32_t t_ms;
    float x, y;
} truth;

static kolakowski_mlp_runtime loc; /* where the firmware wants the runtime: here, static RAM */
static truth pending[PENDING];
static double model_error_sum, filtered_error_sum;
static unsigned long answers, rows;
static uint32_t answer_hash = 2166136261u; /* FNV-1a over the bits of every answer's outputs and filtered position */

static void hash_float(float v)
{
    uint32_t bits;
    int i;
    memcpy(&bits, &v, sizeof bits);
    for (i = 0; i < 4; i++)
    {
        answer_hash = (answer_hash ^ ((bits >> (8 * i)) & 0xFFu)) * 16777619u;
    }
}

/* Splits a CSV line in place at commas (the file has no quoted fields); returns the number of cells. */
static int split(char *line, char **cells)
{
    int n = 0;
    char *p = line;
    cells[n++] = p;
    while (*p && n < MAX_COLUMNS)
    {
        if (*p == ',')
        {
            *p = '\0';
            cells[n++] = p + 1;
        }
        else if (*p == '\n' || *p == '\r')
        {
            *p = '\0';
        }

        p++;
    }

    return n;
}

static int column(char **cells, int n, const char *name)
{
    int i;
    for (i = 0; i < n; i++)
    {
        if (strcmp(cells[i], name) == 0)
        {
            return i;
        }
    }

    return -1;
}

static double distance(float ax, float ay, float tx, float ty)
{
    double dx = (double)ax - (double)tx, dy = (double)ay - (double)ty;
    return sqrt(dx * dx + dy * dy);
}

/* Scores every answer the runtime has ready against the row it belongs to (the row's centre is its time). */
static void collect(uint32_t now_ms)
{
    tl_answer answer;
    int i;
    while (tl_poll(&loc.core, now_ms, &answer))
    {
        for (i = 0; i < PENDING; i++)
        {
            if (pending[i].t_ms == answer.t_ms)
            {
                hash_float(answer.values[0]);
                hash_float(answer.values[1]);
                hash_float(answer.x);
                hash_float(answer.y);
                model_error_sum += distance(answer.values[0], answer.values[1], pending[i].x, pending[i].y);
                filtered_error_sum += distance(answer.x, answer.y, pending[i].x, pending[i].y);
                if (answers % 100 == 0)
                {
                    printf("t %lu ms: model (%ld, %ld) mm, filtered (%ld, %ld) mm, robot (%ld, %ld) mm\n", (unsigned long)answer.t_ms,
                        (long)(answer.values[0] * 1000.0f), (long)(answer.values[1] * 1000.0f), (long)(answer.x * 1000.0f),
                        (long)(answer.y * 1000.0f), (long)(pending[i].x * 1000.0f), (long)(pending[i].y * 1000.0f));
                }

                answers++;
                break;
            }
        }
    }
}

static void print_metres(const char *what, double sum)
{
    double mean = answers ? sum / (double)answers : 0.0;
    unsigned long mm = (unsigned long)(mean * 1000.0 + 0.5);
    uint64_t bits;
    memcpy(&bits, &mean, sizeof bits);
    printf("%s mean error %lu.%03lu m over %lu answers (bits %08lx%08lx)\n", what, mm / 1000, mm % 1000, answers,
        (unsigned long)(bits >> 32), (unsigned long)(bits & 0xFFFFFFFFu));
}

int main(void)
{
    static char line[MAX_LINE];
    char *cells[MAX_COLUMNS];
    int n, ts, x, y, f, rssi[KOLAKOWSKI_MLP_FEATURE_COUNT];
    static char ids[KOLAKOWSKI_MLP_FEATURE_COUNT][24];
    double first_ts = 0.0;
    uint32_t t_ms = 0;
    FILE *csv = fopen("robot.csv", "r");
    if (!csv || !fgets(line, sizeof line, csv))
    {
        printf("cannot read robot.csv (test_robot_df.csv.gz unpacked; see README.md)\n");
        return 2;
    }

    n = split(line, cells);
    ts = column(cells, n, "ts");
    x = column(cells, n, "x");
    y = column(cells, n, "y");
    for (f = 0; f < KOLAKOWSKI_MLP_FEATURE_COUNT; f++)
    {
        sprintf(ids[f], "rssi_%d", f + 1);
        rssi[f] = column(cells, n, ids[f]);
        if (rssi[f] < 0)
        {
            printf("robot.csv has no column %s\n", ids[f]);
            return 2;
        }
    }

    if (ts < 0 || x < 0 || y < 0)
    {
        printf("robot.csv has no ts, x or y column\n");
        return 2;
    }

    kolakowski_mlp_runtime_init(&loc);
    while (fgets(line, sizeof line, csv))
    {
        double stamp;
        if (split(line, cells) != n)
        {
            continue;
        }

        stamp = strtod(cells[ts], NULL);
        if (rows == 0)
        {
            first_ts = stamp;
        }

        t_ms = (uint32_t)((stamp - first_ts) / 1e6 + 0.5);
        pending[rows % PENDING].t_ms = t_ms;
        pending[rows % PENDING].x = strtof(cells[x], NULL);
        pending[rows % PENDING].y = strtof(cells[y], NULL);
        rows++;
        for (f = 0; f < KOLAKOWSKI_MLP_FEATURE_COUNT; f++)
        {
            if (cells[rssi[f]][0] != '\0')
            {
                tl_push(&loc.core, ids[f], strtof(cells[rssi[f]], NULL), t_ms);
            }
        }

        collect(t_ms);
    }

    fclose(csv);
    collect(t_ms + kolakowski_mlp_model.session_gap_ms); /* ends the last row */
    printf("%lu rows, %lu answers, runtime counters: unknown %lu, invalid %lu, late %lu, empty rows %lu\n", rows, answers,
        (unsigned long)loc.core.stats.unknown_ids, (unsigned long)loc.core.stats.invalid, (unsigned long)loc.core.stats.late,
        (unsigned long)loc.core.stats.empty_rows);
    printf("answers hash %08lx\n", (unsigned long)answer_hash);
    print_metres("model", model_error_sum);
    print_metres("filtered", filtered_error_sum);
    return 0;
}
