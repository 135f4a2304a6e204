/*
 * insn_count.c: a QEMU TCG plugin that counts the guest instructions executed between two marker
 * addresses, exactly and repeatably (used by the TinyLoc MCU tests and tests/bench).
 *
 *   gcc -shared -fPIC -O2 -std=c99 -Wall -Wextra -Werror -pedantic -o libinsn_count.so insn_count.c
 *   qemu-system-arm ... -plugin ./libinsn_count.so,begin=0x1f4,end=0x1f8 -d plugin
 *
 * Every executed instruction adds 1 to a counter (an inline add that QEMU generates into the
 * translated code, so the count does not depend on how code is split into translation blocks or
 * cached). Executing the instruction at "begin" opens a window (the counter is read); executing
 * the one at "end" closes it (the difference is recorded). Windows do not nest: a begin inside an
 * open window restarts it. Addresses are hex or decimal; bit 0 is ignored, so Thumb function
 * symbols (odd in the symbol table) can be passed as they are.
 *
 * At exit the plugin prints, through qemu_plugin_outs (visible with "-d plugin", on stderr unless
 * -D FILE redirects QEMU's log):
 *   tinyloc-insns-window <i> <count>     one line per closed window, in order
 *   tinyloc-insns-total <count> <windows>
 * A window is the instructions from the begin instruction (inclusive) to the end instruction
 * (exclusive), whichever order QEMU runs the counter and the marker callback in, as both markers
 * are treated alike. These are instruction counts, not cycles: QEMU models no pipeline, caches or
 * wait states.
 *
 * QEMU 7.2 (Debian 12) ships no plugin header, so the few declarations of plugin API version 1
 * used here are written out below; their signatures follow QEMU's documented plugin API.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The QEMU plugin API (version 1, QEMU 7.2): just what this plugin uses. ---- */

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t; /* never dereferenced here */
struct qemu_plugin_tb;
struct qemu_plugin_insn;

enum qemu_plugin_cb_flags
{
    QEMU_PLUGIN_CB_NO_REGS = 0
};

enum qemu_plugin_op
{
    QEMU_PLUGIN_INLINE_ADD_U64 = 0
};

typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn, enum qemu_plugin_op op, void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb, enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_outs(const char *string);

#define TL_EXPORT __attribute__((visibility("default")))

TL_EXPORT extern const int qemu_plugin_version;
TL_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv);

TL_EXPORT const int qemu_plugin_version = 1;

/* ---- The counter. ---- */

#define TL_MAX_WINDOWS 65536u

static uint64_t tl_begin_addr;
static uint64_t tl_end_addr;
static uint64_t tl_insns;       /* every executed instruction, updated inline */
static uint64_t tl_window_start;
static int tl_window_open;
static uint64_t *tl_windows;    /* closed windows, in order */
static unsigned int tl_window_count;

static void tl_on_begin(unsigned int vcpu_index, void *userdata)
{
    (void)vcpu_index;
    (void)userdata;
    tl_window_start = tl_insns;
    tl_window_open = 1;
}

static void tl_on_end(unsigned int vcpu_index, void *userdata)
{
    (void)vcpu_index;
    (void)userdata;
    if (!tl_window_open)
    {
        return;
    }

    tl_window_open = 0;
    if (tl_window_count < TL_MAX_WINDOWS)
    {
        tl_windows[tl_window_count] = tl_insns - tl_window_start;
    }

    tl_window_count++;
}

static void tl_on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    size_t n = qemu_plugin_tb_n_insns(tb);
    size_t i;
    (void)id;
    for (i = 0; i < n; i++)
    {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t addr = qemu_plugin_insn_vaddr(insn) & ~(uint64_t)1;
        qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &tl_insns, 1);
        if (addr == tl_begin_addr)
        {
            qemu_plugin_register_vcpu_insn_exec_cb(insn, tl_on_begin, QEMU_PLUGIN_CB_NO_REGS, NULL);
        }

        if (addr == tl_end_addr)
        {
            qemu_plugin_register_vcpu_insn_exec_cb(insn, tl_on_end, QEMU_PLUGIN_CB_NO_REGS, NULL);
        }
    }
}

static void tl_on_exit(qemu_plugin_id_t id, void *userdata)
{
    char line[96];
    unsigned int i;
    unsigned int shown = tl_window_count < TL_MAX_WINDOWS ? tl_window_count : TL_MAX_WINDOWS;
    (void)id;
    (void)userdata;
    for (i = 0; i < shown; i++)
    {
        snprintf(line, sizeof line, "tinyloc-insns-window %u %" PRIu64 "\n", i, tl_windows[i]);
        qemu_plugin_outs(line);
    }

    snprintf(line, sizeof line, "tinyloc-insns-total %" PRIu64 " %u\n", tl_insns, tl_window_count);
    qemu_plugin_outs(line);
    free(tl_windows);
    tl_windows = NULL;
}

/* Parses "name=value" into *value when the name matches; returns 1 on a match, -1 on a bad value. */
static int tl_parse_address(const char *arg, const char *name, uint64_t *value)
{
    size_t len = strlen(name);
    char *endp;
    if (strncmp(arg, name, len) != 0 || arg[len] != '=')
    {
        return 0;
    }

    *value = strtoull(arg + len + 1, &endp, 0);
    return (endp == arg + len + 1 || *endp != '\0') ? -1 : 1;
}

TL_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    int have_begin = 0;
    int have_end = 0;
    int i;
    (void)info;
    for (i = 0; i < argc; i++)
    {
        int b = tl_parse_address(argv[i], "begin", &tl_begin_addr);
        int e = tl_parse_address(argv[i], "end", &tl_end_addr);
        if (b < 0 || e < 0 || (b == 0 && e == 0))
        {
            fprintf(stderr, "insn_count: bad argument '%s' (expected begin=ADDR and end=ADDR)\n", argv[i]);
            return -1;
        }

        have_begin |= b;
        have_end |= e;
    }

    if (!have_begin || !have_end)
    {
        fprintf(stderr, "insn_count: needs begin=ADDR and end=ADDR\n");
        return -1;
    }

    tl_begin_addr &= ~(uint64_t)1;
    tl_end_addr &= ~(uint64_t)1;
    tl_windows = calloc(TL_MAX_WINDOWS, sizeof *tl_windows);
    if (tl_windows == NULL)
    {
        return -1;
    }

    qemu_plugin_register_vcpu_tb_trans_cb(id, tl_on_translate);
    qemu_plugin_register_atexit_cb(id, tl_on_exit, NULL);
    return 0;
}
