using Paygo.Rating.Access;
using static Paygo.Rating.Tests.Access.PecFixture;

namespace Paygo.Rating.Tests.Access;

/// <summary>The index's promises to the rating loop: no allocation per decision, long histories stay correct.</summary>
public sealed class PecIndexTests
{
    [Fact]
    public void Decide_AllocatesNothing()
    {
        var history = new AccessHistory(
            [
                Aobo("aobo-1", Direct, end: At(Day, 13)),
                Allow("rg", Principal.User("u", Direct), BuiltInRoles.Contributor, AppGroup, At(Day, 12)),
                Allow("reader", Principal.AdminAgents("fp", Direct), BuiltInRoles.Reader, App2Group, Created),
                Aobo("other", Unrelated, scope: App2Group),
            ],
            [DenyOn("deny", App2Vm, At(Day.AddDays(3), 1), At(Day.AddDays(3), 2))]);
        var index = history.IndexFor(Subscription, Direct);
        string[] resources = [AppVm, App2Vm, $"{App2Group}/providers/Microsoft.Web/sites/web1", AppGroup];
        var sum = 0;
        for (var warm = 0; warm < 2; warm++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                sum += index.Decide(resources[i % resources.Length], MeterExclusion.None, Day.AddDays(i % 5)).CreditPercent;
            }

            if (warm == 1)
            {
                Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
            }
        }

        Assert.True(sum > 0);
    }

    [Fact]
    public void Decide_AYearOfDailyPimActivations_FindsTheDaysOwnActivation()
    {
        // 365 activations, 08:00–18:00 daily, and one full-day activation: the binary search over
        // running maximum ends must still see each day's own period.
        var year = new DateOnly(2026, 1, 1);
        var activations = Enumerable.Range(0, 365)
            .Select(d => Allow($"pim-{d:D3}", Principal.User("fay", Direct), BuiltInRoles.Owner, SubscriptionScope, At(year.AddDays(d), 8), At(year.AddDays(d), 18)))
            .Append(Allow("full-day", Principal.User("fay", Direct), BuiltInRoles.Owner, SubscriptionScope, Midnight(new DateOnly(2026, 7, 4)), Midnight(new DateOnly(2026, 7, 5))))
            .ToArray();
        var history = new AccessHistory(activations);
        var index = history.IndexFor(Subscription, Direct);

        var ordinary = index.Decide(AppVm, MeterExclusion.None, new DateOnly(2026, 10, 3));
        var holiday = index.Decide(AppVm, MeterExclusion.None, new DateOnly(2026, 7, 4));

        Assert.Equal(PecReason.PartialDay, ordinary.Reason);
        Assert.Equal(new DateTime(2026, 10, 3, 0, 0, 0, DateTimeKind.Utc), ordinary.GapStart);
        Assert.Equal(new DateTime(2026, 10, 3, 8, 0, 0, DateTimeKind.Utc), ordinary.GapEnd);
        Assert.Equal(PecReason.Earned, holiday.Reason);
        Assert.Equal(["full-day"], CoveringIds(history, holiday));
        Assert.Equal(PecReason.NoAccess, index.Decide(AppVm, MeterExclusion.None, new DateOnly(2027, 1, 2)).Reason);
    }

    [Fact]
    public void IndexFor_SubscriptionIdInAnotherCase_FindsItsAssignments()
    {
        var history = new AccessHistory([Aobo("aobo-1", Direct)]);

        Assert.Equal(PecReason.Earned, history.IndexFor(Subscription.ToUpperInvariant(), Direct).Decide(AppVm, MeterExclusion.None, Day).Reason);
    }

    [Fact]
    public void AccessHistory_RepeatedAssignmentId_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new AccessHistory([Aobo("same", Direct), Aobo("same", Reseller)]));
    }

    [Fact]
    public void AccessPeriod_LocalTimesOrEndBeforeStart_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new AccessPeriod(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Local)));
        Assert.Throws<ArgumentException>(() => new AccessPeriod(At(Day, 10), At(Day, 9)));
    }
}
