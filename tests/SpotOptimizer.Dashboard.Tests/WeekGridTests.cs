using AngleSharp.Dom;
using Microsoft.AspNetCore.Components.Web;
using SpotOptimizer.Dashboard.Pages;

namespace SpotOptimizer.Dashboard.Tests;

public sealed class WeekGridTests
{
    private const int Mon = 0, Tue = 1, Wed = 2, Thu = 3, Fri = 4, Sat = 5, Sun = 6;

    private static int Slot(int day, int hour) => day * 24 + hour;

    private static IElement Cell(IRenderedComponent<WeekGrid> grid, int day, int hour) => grid.Find($"button[data-slot='{Slot(day, hour)}']");

    private static IRenderedComponent<WeekGrid> Render(BunitContext ctx, int[] slots, Action changed) =>
        ctx.Render<WeekGrid>(p => p.Add(g => g.Slots, slots).Add(g => g.Changed, changed));

    /// <summary>The slots the rectangle days × hours holds (both ends included).</summary>
    private static HashSet<int> Rectangle(int fromDay, int toDay, int fromHour, int toHour) =>
        [.. from d in Enumerable.Range(fromDay, toDay - fromDay + 1) from h in Enumerable.Range(fromHour, toHour - fromHour + 1) select Slot(d, h)];

    private static void AssertAwakeExactly(int[] slots, IRenderedComponent<WeekGrid> grid, IReadOnlySet<int> awake)
    {
        Assert.Equal(awake.Order(), Enumerable.Range(0, 168).Where(s => slots[s] == 1));
        var pressed = grid.FindAll("button[aria-pressed='true']").Select(b => int.Parse(b.GetAttribute("data-slot")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(awake.Order(), pressed.Order());
    }

    [Fact]
    public async Task Render_OneButtonPerHour_PressedWhereAwake()
    {
        await using var ctx = DashboardTest.NewContext();
        var slots = new int[168];
        slots[Slot(Wed, 9)] = 1;
        slots[Slot(Sun, 23)] = 1;

        var grid = Render(ctx, slots, () => { });

        var cells = grid.FindAll("[role='gridcell'] > button");
        Assert.Equal(168, cells.Count);
        Assert.Equal("Mon 00:00", cells[0].GetAttribute("aria-label"));
        Assert.Equal("Wed 09:00", Cell(grid, Wed, 9).GetAttribute("aria-label"));
        Assert.Equal("Sun 23:00", cells[167].GetAttribute("aria-label"));
        AssertAwakeExactly(slots, grid, new HashSet<int> { Slot(Wed, 9), Slot(Sun, 23) });
        Assert.Contains("awake", Cell(grid, Wed, 9).ClassList);
        Assert.DoesNotContain("awake", Cell(grid, Wed, 10).ClassList);
    }

    [Fact]
    public async Task Drag_FromAsleepCell_PaintsTheRectangleOfDaysAndHoursAwake()
    {
        await using var ctx = DashboardTest.NewContext();
        var slots = new int[168];
        slots[Slot(Sat, 10)] = 1;
        var changes = 0;
        var grid = Render(ctx, slots, () => changes++);

        Cell(grid, Mon, 9).PointerDown();
        Cell(grid, Tue, 12).PointerEnter();
        Cell(grid, Fri, 17).PointerEnter();
        grid.Find("[data-testid='week-grid']").PointerUp();

        // Weekdays 09:00–17:00: 5 days × 9 hours, and Saturday's hour that was awake before stays so.
        var expected = Rectangle(Mon, Fri, 9, 17);
        Assert.Equal(45, expected.Count);
        expected.Add(Slot(Sat, 10));
        AssertAwakeExactly(slots, grid, expected);
        Assert.True(changes >= 1, "the bound schedule's Changed callback was not invoked");
    }

    [Fact]
    public async Task Drag_BackTowardsTheStart_RestoresTheCellsLeftOutsideTheRectangle()
    {
        await using var ctx = DashboardTest.NewContext();
        var slots = new int[168];
        slots[Slot(Thu, 15)] = 1;
        var grid = Render(ctx, slots, () => { });

        Cell(grid, Mon, 9).PointerDown();
        Cell(grid, Fri, 17).PointerEnter();
        Cell(grid, Wed, 12).PointerEnter();

        // Mon–Wed 09–12 awake; Thursday 15:00 was awake before the drag, Friday 17:00 was not.
        var expected = Rectangle(Mon, Wed, 9, 12);
        expected.Add(Slot(Thu, 15));
        AssertAwakeExactly(slots, grid, expected);
    }

    [Fact]
    public async Task Drag_FromAwakeCellUpAndLeft_PaintsTheRectangleAsleep()
    {
        await using var ctx = DashboardTest.NewContext();
        var slots = Enumerable.Repeat(1, 168).ToArray();
        var grid = Render(ctx, slots, () => { });

        Cell(grid, Sun, 7).PointerDown();
        Cell(grid, Sat, 0).PointerEnter();

        var asleep = Rectangle(Sat, Sun, 0, 7);
        Assert.Equal(16, asleep.Count);
        AssertAwakeExactly(slots, grid, Enumerable.Range(0, 168).Except(asleep).ToHashSet());
    }

    [Fact]
    public async Task PointerUp_EndsThePainting()
    {
        await using var ctx = DashboardTest.NewContext();
        var slots = new int[168];
        var changes = 0;
        var grid = Render(ctx, slots, () => changes++);

        Cell(grid, Tue, 3).PointerDown();
        grid.Find("[data-testid='week-grid']").PointerUp();
        var changesAfterStroke = changes;
        Cell(grid, Thu, 6).PointerEnter();

        AssertAwakeExactly(slots, grid, new HashSet<int> { Slot(Tue, 3) });
        Assert.Equal(changesAfterStroke, changes);
    }

    [Fact]
    public async Task PointerLeavingTheGrid_EndsThePainting()
    {
        await using var ctx = DashboardTest.NewContext();
        var slots = new int[168];
        var grid = Render(ctx, slots, () => { });

        Cell(grid, Mon, 0).PointerDown();
        Cell(grid, Mon, 1).PointerEnter();
        grid.Find("[data-testid='week-grid']").PointerLeave();
        Cell(grid, Sun, 23).PointerEnter();

        AssertAwakeExactly(slots, grid, new HashSet<int> { Slot(Mon, 0), Slot(Mon, 1) });
    }

    [Fact]
    public async Task KeyboardPress_TogglesOneHour()
    {
        await using var ctx = DashboardTest.NewContext();
        var slots = new int[168];
        var changes = 0;
        var grid = Render(ctx, slots, () => changes++);

        // Enter or Space on a button is a click with detail 0 (no pointer).
        Cell(grid, Wed, 14).Click(new MouseEventArgs { Detail = 0 });

        AssertAwakeExactly(slots, grid, new HashSet<int> { Slot(Wed, 14) });
        Assert.Equal("true", Cell(grid, Wed, 14).GetAttribute("aria-pressed"));
        Assert.Equal(1, changes);

        Cell(grid, Wed, 14).Click(new MouseEventArgs { Detail = 0 });

        AssertAwakeExactly(slots, grid, new HashSet<int>());
        Assert.Equal("false", Cell(grid, Wed, 14).GetAttribute("aria-pressed"));
        Assert.Equal(2, changes);
    }

    [Fact]
    public async Task PointerClick_TogglesTheHourOnce()
    {
        await using var ctx = DashboardTest.NewContext();
        var slots = new int[168];
        var grid = Render(ctx, slots, () => { });

        // A mouse click is pointerdown (paints), pointerup, then a click with detail 1, which must not toggle it back.
        Cell(grid, Fri, 22).PointerDown();
        grid.Find("[data-testid='week-grid']").PointerUp();
        Cell(grid, Fri, 22).Click(new MouseEventArgs { Detail = 1 });

        AssertAwakeExactly(slots, grid, new HashSet<int> { Slot(Fri, 22) });
    }
}
