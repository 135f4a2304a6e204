/*
 * startup.c: reset code for the TinyLoc MCU tests on rv32imc (ESP32-C3 class), run under
 * qemu-system-riscv32 -M virt -bios none -semihosting, linked with virt.ld and picolibc's
 * semihosting library.
 *
 * With -bios none QEMU jumps straight to the ELF entry point in machine mode. _start sets the
 * global pointer and the stack pointer (nothing else may run before that), then tl_cstart does the
 * rest in C: copy .data to RAM, zero .bss, set up picolibc's thread-local storage (errno lives
 * there: _init_tls copies .tdata and zeroes .tbss, _set_tls points tp at it), run the
 * initialisers, then exit(main()). picolibc's exit() reports the status through semihosting.
 *
 * C99, clean under -Wall -Wextra -Werror -pedantic.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* From the linker script. */
extern uint8_t tl_data_load[];
extern uint8_t tl_data_start[];
extern uint8_t tl_data_end[];
extern uint8_t tl_bss_start[];
extern uint8_t tl_bss_end[];
extern uint8_t __tls_base[];

/* From picolibc (picotls.h spells them the same way). */
extern void _init_tls(void *tls);
extern void _set_tls(void *tls);
extern void __libc_init_array(void);

extern int main(void);

void _start(void);
void tl_cstart(void);

__attribute__((naked, section(".text.tl_start")))
void _start(void)
{
    __asm__ volatile(
        ".option push\n\t"
        ".option norelax\n\t"
        "la gp, __global_pointer$\n\t"
        ".option pop\n\t"
        "la sp, tl_stack_top\n\t"
        "j tl_cstart\n\t");
}

void tl_cstart(void)
{
    if (&tl_data_start[0] != &tl_data_load[0])
    {
        memcpy(tl_data_start, tl_data_load, (size_t)(tl_data_end - tl_data_start));
    }

    memset(tl_bss_start, 0, (size_t)(tl_bss_end - tl_bss_start));
    _init_tls(__tls_base);
    _set_tls(__tls_base);
    __libc_init_array();
    exit(main());
}
