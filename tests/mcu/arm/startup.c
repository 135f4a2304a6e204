/*
 * startup.c: reset and fault handling for the TinyLoc MCU tests on a Cortex-M4F
 * (qemu-system-arm -M mps2-an386, linked with stm32l4.ld).
 *
 * QEMU boots an M-profile core from the vector table at address 0: the first word is the initial
 * stack pointer, the second the reset handler. The reset handler does what a vendor's startup
 * file does, and no more: copy .data from flash to RAM, zero .bss, turn the FPU on, run the C
 * library's initialisers (newlib's __libc_init_array calls _init, which -nostartfiles leaves
 * undefined, so it is defined empty here), open the semihosting file handles, then
 * exit(main()). With -semihosting, exit() ends QEMU with main's return value as its status.
 *
 * C99, clean under -Wall -Wextra -Werror -pedantic.
 */
#include <stdint.h>
#include <stdlib.h>

/* From the linker script. The stack top is declared as a function so that the vector table can
 * hold it without converting an object pointer to a function pointer. */
extern void tl_stack_top(void);
extern uint32_t tl_data_load[];
extern uint32_t tl_data_start[];
extern uint32_t tl_data_end[];
extern uint32_t tl_bss_start[];
extern uint32_t tl_bss_end[];

extern int main(void);
extern void initialise_monitor_handles(void);
extern void __libc_init_array(void);

void tl_reset_handler(void);
void tl_fault_handler(void);
void _init(void);
void _fini(void);

typedef void (*tl_vector)(void);

/* The 16 system exception vectors of ARMv7-M; external interrupts are never enabled here. */
__attribute__((section(".isr_vector"), used))
const tl_vector tl_vectors[16] = {
    tl_stack_top,     /* initial main stack pointer */
    tl_reset_handler, /* reset */
    tl_fault_handler, /* NMI */
    tl_fault_handler, /* HardFault */
    tl_fault_handler, /* MemManage */
    tl_fault_handler, /* BusFault */
    tl_fault_handler, /* UsageFault */
    0, 0, 0, 0,       /* reserved */
    tl_fault_handler, /* SVCall */
    tl_fault_handler, /* DebugMonitor */
    0,                /* reserved */
    tl_fault_handler, /* PendSV */
    tl_fault_handler, /* SysTick */
};

/* Coprocessor Access Control Register: CP10 and CP11 (the FPU) get full access. */
#define TL_CPACR (*(volatile uint32_t *)0xE000ED88u)

void _init(void)
{
}

void _fini(void)
{
}

void tl_reset_handler(void)
{
    uint32_t *src = tl_data_load;
    uint32_t *dst;

    for (dst = tl_data_start; dst < tl_data_end; dst++)
    {
        *dst = *src++;
    }

    for (dst = tl_bss_start; dst < tl_bss_end; dst++)
    {
        *dst = 0u;
    }

    TL_CPACR |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");

    __libc_init_array();
    initialise_monitor_handles();
    exit(main());
}

/* Any fault or unexpected exception ends the run with status 3 (the C tests see a failed run). */
void tl_fault_handler(void)
{
    _Exit(3);
}
