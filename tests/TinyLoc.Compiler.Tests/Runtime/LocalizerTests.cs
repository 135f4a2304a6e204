using System.Collections.Generic;
using System.Linq;
using TinyLoc.Runtime;
using Xunit;

namespace TinyLoc.Compiler.Tests.Runtime;

/// <summary>
/// The runtime's documented rules (runtime/README.md), one by one, on the C# runtime (the C runtime gives the same
/// bits: <see cref="RuntimeDifferentialTests"/>): rows, fill, empty rows, windows, sessions, late and bad readings,
/// the clock going back or jumping ahead, the vote and the complementary filter.
/// </summary>
public sealed class LocalizerTests
{
    private readonly List<float[]> _windows = new();

    [Fact]
    public void ARowTakesTheLatestReadingOfItsPeriodAndAWindowComesEveryHopRows()
    {
        // Period 100 ms, rows centred on the first reading: [-50, 50), [50, 150), ...
        var loc = Localizer(features: 2, window: 3, hop: 2, fill: 0);
        loc.Push("a", -70, 0);
        loc.Push("a", -60, 40);      // later in the same row: wins
        loc.Push("b", -50, 49);
        loc.Push("a", -61, 100);     // row 1
        loc.Push("b", -51, 250);     // row 1 ended at 150; the clock stopped (nothing to carry), restarts here
        Assert.False(loc.Poll(299));
        Assert.True(loc.Poll(300));  // row at 250 ends at 300: the third row, the first window
        Assert.Equal(new[] { -60f, -50f, -61f, -93f, -93f, -51f }, _windows.Single());
        Assert.Equal(250u, loc.Answer.TimeMs);

        loc.Push("a", -62, 300);
        Assert.False(loc.Poll(400)); // one more row: a window needs two (hop)
        loc.Push("a", -63, 400);
        Assert.True(loc.Poll(450));
        Assert.Equal(new[] { -93f, -51f, -62f, -93f, -63f, -93f }, _windows[1]);
        Assert.Equal(5u, loc.Stats.ClockStarts); // at 0, 100 (row 0 had nothing to carry), 250, 300, 400
    }

    [Fact]
    public void AReadingIsCarriedIntoFillRowsMoreRowsThenIsNotReceived()
    {
        var loc = Localizer(features: 2, window: 4, hop: 4, fill: 2);
        loc.Push("a", -70, 0);
        loc.Push("b", -60, 0);
        loc.Push("b", -61, 300);     // rows at 0, 100, 200, 300 (a: carried twice, then missing)
        Assert.True(loc.Poll(350));
        Assert.Equal(new[] { -70f, -60f, -70f, -60f, -70f, -60f, -93f, -61f }, _windows.Single());
        Assert.Equal(0u, loc.Stats.EmptyRows);
    }

    [Fact]
    public void RowsWithNothingAreSkippedAndAGapLongerThanTheSessionGapStartsANewWindow()
    {
        var loc = Localizer(features: 1, window: 2, hop: 1, fill: 0, gap: 500);
        loc.Push("a", -70, 0);
        loc.Push("a", -71, 300);     // rows 0 and 300: 300 ms apart, one session
        Assert.True(loc.Poll(400));
        loc.Push("a", -72, 1000);    // 700 ms after the last row: a new session, the window starts again
        Assert.False(loc.Poll(1100));
        loc.Push("a", -73, 1100);
        Assert.True(loc.Poll(1200));
        Assert.Equal(new[] { -72f, -73f }, _windows.Last());
        Assert.Equal(2u, loc.Stats.Sessions);
    }

    [Fact]
    public void LateUnknownAndInvalidReadingsAreCountedAndChangeNothing()
    {
        var loc = Localizer(features: 1, window: 1, hop: 1, fill: 0);
        loc.Push("a", -70, 1000);
        loc.Push("a", -10, 900);     // older than the row being built (950..1050): late
        loc.Push("zz", -10, 1000);
        loc.Push(null!, -10, 1000);
        loc.PushFeature(7, -10, 1000);
        loc.Push("a", float.NaN, 1000);
        loc.Push("a", float.NegativeInfinity, 1000);
        loc.Push("a", 31, 1000);
        loc.PushMotion(float.PositiveInfinity, 0, 1000);
        Assert.True(loc.Poll(1050));
        Assert.Equal(new[] { -70f }, _windows.Single());
        Assert.Equal((1u, 3u, 4u), (loc.Stats.Late, loc.Stats.UnknownIds, loc.Stats.Invalid));
    }

    [Fact]
    public void AClockThatGoesBackOrJumpsAheadStartsAfresh()
    {
        var loc = Localizer(features: 1, window: 2, hop: 1, fill: 5, gap: 2000);
        loc.Push("a", -70, 10_000);
        loc.Push("a", -71, 5_000);   // back by more than the session gap: everything is forgotten, the clock restarts
        Assert.Equal(2u, loc.Stats.ClockStarts);
        loc.Push("a", -72, 5_100);
        Assert.True(loc.Poll(5_150));
        Assert.Equal(new[] { -71f, -72f }, _windows.Single());

        loc.Push("a", -73, 5_000_000); // hours ahead: the carried reading expires, the old window ends (new session)
        loc.Push("a", -74, 5_000_100);
        Assert.True(loc.Poll(5_000_150));
        Assert.Equal(new[] { -73f, -74f }, _windows.Last());
        Assert.Equal(2u, loc.Stats.Sessions);

        loc.Push("a", -75, uint.MaxValue - 40); // across the 2^32 ms wrap: still a clock
        loc.Push("a", -76, 59);
        Assert.True(loc.Poll(109));
        Assert.Equal(new[] { -75f, -76f }, _windows.Last());
    }

    [Fact]
    public void TheVoteIsTheMajorityOfTheLastAnswersAndTiesGoToTheLatest()
    {
        int next = 0;
        int[] classes = { 0, 1, 1, 2, 2, 0 };
        var info = new ModelInfo(new[] { "a" }, new[] { 0 }, (x, y) => { y[0] = y[1] = y[2] = 0; y[classes[next++]] = 1; }, 1, 1, 1, 3, OutputKinds.Classes, 100_000, 0, 2000, -93, 3, 0.8f);
        var loc = new Localizer(info);
        var labels = new List<int>();
        for (uint t = 0; t < 6; t++)
        {
            loc.Push("a", -70, t * 100);
            Assert.True(loc.Poll((t * 100) + 50));
            labels.Add(loc.Answer.Label);
        }

        // votes: [0] [0,1] [0,1,1] [1,1,2] [1,2,2] [2,2,0]
        Assert.Equal(new[] { 0, 1, 1, 1, 2, 2 }, labels);
    }

    [Fact]
    public void ThePositionIsFilteredWithTheMotionSinceTheLastAnswer()
    {
        float[][] model = { new[] { 1f, 2f }, new[] { 3f, 5f } };
        int next = 0;
        var info = new ModelInfo(new[] { "a" }, new[] { 0 }, (x, y) => { y[0] = model[next][0]; y[1] = model[next++][1]; }, 1, 1, 1, 2, OutputKinds.Position, 100_000, 0, 2000, -93, 1, 0.8f);
        var loc = new Localizer(info);
        loc.PushMotion(9, 9, 0);     // before the first answer: dropped with it
        loc.Push("a", -70, 0);
        Assert.True(loc.Poll(50));
        Assert.Equal((1f, 2f), (loc.Answer.X, loc.Answer.Y));
        loc.PushMotion(0.5f, -1f, 60);
        loc.PushMotion(0.25f, 0f, 70);
        loc.Push("a", -70, 100);
        Assert.True(loc.Poll(150));
        float keep = 1.0f - 0.8f;
        Assert.Equal((0.8f * 3f) + (keep * (1f + 0.75f)), loc.Answer.X);
        Assert.Equal((0.8f * 5f) + (keep * (2f - 1f)), loc.Answer.Y);
    }

    private Localizer Localizer(int features, int window, int hop, int fill, uint gap = 2000)
    {
        string[] ids = { "a", "b", "c" };
        var info = new ModelInfo(ids.Take(features).ToArray(), Enumerable.Range(0, features).ToArray(), (x, y) => _windows.Add((float[])x.Clone()), features, window, hop, 1, OutputKinds.Values, 100_000, fill, gap, -93, 1, 0.8f);
        return new Localizer(info);
    }
}
