using System.Linq;
using Xunit;

namespace TinyLoc.Compiler.Tests.Mcu;

/// <summary>The map parser on a hand-written excerpt in GNU ld's format (no toolchain needed).</summary>
public sealed class LinkerMapTests
{
    private const string Sample = """
        Archive member included to satisfy reference by file (symbol)

        /usr/lib/arm-none-eabi/lib/thumb/v7e-m+fp/hard/libc_nano.a(lib_a-exit.o)
                                      startup.o (exit)
        /usr/lib/gcc/arm-none-eabi/12.2.1/thumb/v7e-m+fp/hard/libgcc.a(_arm_muldf3.o)
                                      /tmp/x/model.o (__aeabi_dmul)
        libgcc.a(_udivsi3.o)          main.o (__aeabi_uidiv)

        Discarded input sections

         .text          0x00000000        0x0 /tmp/x/model.o
         .text.unused_function
                        0x00000000       0x40 /tmp/x/model.o

        Memory Configuration

        Name             Origin             Length             Attributes
        FLASH            0x00000000         0x00040000         xr

        Linker script and memory map

        LOAD startup.o
        .text           0x00000040     0x1000
         *(.text .text.*)
         .text.m_predict
                        0x00000040      0x42c /tmp/x/model.o
                        0x00000040                m_predict
         .text.main     0x0000046c       0x64 /tmp/x/main.o
         *fill*         0x000004d0        0x4
        .rodata         0x00001040      0x200
         .rodata.m_w    0x00001040      0x100 /tmp/x/model.o
         .rodata.m_labels
                        0x00001140       0x34 /tmp/x/model.o
        .data           0x20000000        0x8 load address 0x00001240
         .data.impure   0x20000000        0x8 libc_nano.a(lib_a-impure.o)
        .bss            0x20000008       0x68 load address 0x00001248
                        0x20000008                tl_bss_start = .
         .bss.m_arena   0x20000008       0x60 /tmp/x/model.o
         COMMON         0x20000068        0x8 /tmp/x/main.o
        .comment        0x00000000       0x26
         .comment       0x00000000       0x26 /tmp/x/model.o
        """;

    [Fact]
    public void ReadsSectionsWithTheirOutputSectionAndFile()
    {
        var map = LinkerMap.Parse(Sample);
        var model = map.From("model.o").ToList();
        Assert.Equal(
            [(".text", ".text.m_predict", 0x42cL), (".rodata", ".rodata.m_w", 0x100L), (".rodata", ".rodata.m_labels", 0x34L), (".bss", ".bss.m_arena", 0x60L), (".comment", ".comment", 0x26L)],
            model.Select(s => (s.OutputSection, s.Name, s.Size)).ToList());
        Assert.Equal(0x42c + 0x100 + 0x34, model.Where(s => LinkerMap.IsFlash(s.OutputSection)).Sum(s => s.Size));
        Assert.Equal(0x60, model.Where(s => LinkerMap.IsRam(s.OutputSection)).Sum(s => s.Size));
        Assert.DoesNotContain(map.Sections, s => s.Name == "*fill*" || s.Name == ".text.unused_function");
        Assert.Contains(map.Sections, s => s.Name == "COMMON" && s.OutputSection == ".bss" && s.Size == 8);
    }

    [Fact]
    public void ReadsWhichFilePulledInWhichArchiveMember()
    {
        var map = LinkerMap.Parse(Sample);
        Assert.Equal(3, map.ArchiveMembers.Count);
        var fromModel = Assert.Single(map.PulledInBy("model.o"));
        Assert.Equal("__aeabi_dmul", fromModel.Symbol);
        Assert.EndsWith("libgcc.a(_arm_muldf3.o)", fromModel.Member);
        Assert.Equal("__aeabi_uidiv", Assert.Single(map.PulledInBy("main.o")).Symbol);
        Assert.Equal("exit", Assert.Single(map.PulledInBy("startup.o")).Symbol);
    }
}
