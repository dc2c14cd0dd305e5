using Paygo.Rating.Access;
using static Paygo.Rating.Tests.Access.PecFixture;

namespace Paygo.Rating.Tests.Access;

/// <summary>
/// Seeded random histories: the order assignments arrive in never changes a decision or its
/// evidence, and every decision agrees with a plain union-of-intervals reading of DOMAIN.md §5.
/// </summary>
public sealed class PecPropertyTests(ITestOutputHelper output)
{
    private const int Seed = 20261202;

    private static readonly string[] Scopes = [SubscriptionScope, AppGroup, App2Group, AppVm, App2Vm, AppGroup.ToUpperInvariant()];
    private static readonly string[] Resources = [AppVm, App2Vm, $"{AppGroup}/providers/Microsoft.Storage/storageAccounts/st1", AppGroup];
    private static readonly string?[] Partners = [Direct, Reseller, Unrelated, null];
    private static readonly RoleDefinition[] RolesUsed = [BuiltInRoles.Owner, BuiltInRoles.Contributor, BuiltInRoles.Reader];
    private static readonly DateOnly[] Days = [Day, Day.AddDays(1), Day.AddDays(2)];

    [Fact]
    public void Decide_ShuffledAssignments_GiveTheSameDecisionsAndEvidence()
    {
        var random = new Random(Seed);
        output.WriteLine($"seed {Seed}");
        for (var round = 0; round < 300; round++)
        {
            var (allows, denies) = RandomHistory(random);
            var expected = DecideAll(new AccessHistory(allows, denies), reseller: round % 2 == 0 ? Reseller : null);
            for (var shuffle = 0; shuffle < 3; shuffle++)
            {
                var shuffledAllows = allows.OrderBy(_ => random.Next()).ToArray();
                var shuffledDenies = denies.OrderBy(_ => random.Next()).ToArray();

                var actual = DecideAll(new AccessHistory(shuffledAllows, shuffledDenies), reseller: round % 2 == 0 ? Reseller : null);

                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void Decide_RandomHistories_AgreeWithAUnionOfIntervals()
    {
        var random = new Random(Seed + 1);
        output.WriteLine($"seed {Seed + 1}");
        var earned = 0;
        for (var round = 0; round < 300; round++)
        {
            var (allows, denies) = RandomHistory(random);
            var history = new AccessHistory(allows, denies);
            var index = history.IndexFor(Subscription, Direct, Reseller);
            foreach (var resource in Resources)
            {
                foreach (var day in Days)
                {
                    var decision = index.Decide(resource, MeterExclusion.None, day);
                    var start = Midnight(day);
                    var end = start.AddDays(1);
                    var covering = ArmScopeCovering(resource);
                    var denied = denies.Any(d => covering(d.Scope) && Overlaps(d.Period, start, end));
                    var own = allows.Where(a => covering(a.Scope) && Overlaps(a.Period, start, end) && a.Principal.ActsFor(Direct) | a.Principal.ActsFor(Reseller) && history.Roles.IsPecEligible(a.RoleDefinitionId)).ToArray();
                    var gap = FirstGap(own.Select(a => a.Period), start, end);

                    if (denied)
                    {
                        Assert.Equal(PecReason.Denied, decision.Reason);
                        Assert.True(covering(history.Denies[decision.Assignment].Scope));
                    }
                    else if (gap is null)
                    {
                        earned++;
                        Assert.Equal(PecReason.Earned, decision.Reason);
                        var named = Enumerable.Range(0, decision.CoverCount).Select(i => history.Assignments[decision.Covering(i)]).ToArray();
                        Assert.All(named, a => Assert.Contains(a, own));
                        Assert.Null(FirstGap(named.Select(a => a.Period), start, end));
                    }
                    else if (own.Length > 0)
                    {
                        Assert.Equal(PecReason.PartialDay, decision.Reason);
                        Assert.Equal(gap.Value, decision.GapStart);
                    }
                    else
                    {
                        Assert.Contains(decision.Reason, new[] { PecReason.IneligibleRole, PecReason.OtherPartnerOnly, PecReason.NoAccess });
                    }
                }
            }
        }

        output.WriteLine($"{earned} earned decisions checked");
        Assert.True(earned > 100);
    }

    private static (RoleAssignment[] Allows, DenyAssignment[] Denies) RandomHistory(Random random)
    {
        var allows = new RoleAssignment[random.Next(0, 9)];
        for (var i = 0; i < allows.Length; i++)
        {
            var partner = Partners[random.Next(Partners.Length)];
            var principal = random.Next(3) switch
            {
                0 when partner is not null => Principal.AdminAgents($"fp-{partner}", partner),
                1 => Principal.User($"user-{i}", partner),
                _ => Principal.ServicePrincipal($"sp-{i}", partner),
            };
            var (start, end) = RandomPeriod(random);
            allows[i] = Allow($"a-{random.Next(1000):D3}-{i}", principal, RolesUsed[random.Next(RolesUsed.Length)], Scopes[random.Next(Scopes.Length)], start, end);
        }

        var denies = new DenyAssignment[random.Next(4) == 0 ? 1 : 0];
        for (var i = 0; i < denies.Length; i++)
        {
            var (start, end) = RandomPeriod(random);
            denies[i] = DenyOn($"d-{i}", Scopes[random.Next(Scopes.Length)], start, end);
        }

        return (allows, denies);
    }

    // Hour-aligned periods around the three days, some open, some starting before them.
    private static (DateTime Start, DateTime? End) RandomPeriod(Random random)
    {
        var start = Midnight(Day).AddHours(random.Next(-30, 72));
        DateTime? end = random.Next(3) == 0 ? null : start.AddHours(random.Next(0, 60));
        return (start, end);
    }

    private static List<string> DecideAll(AccessHistory history, string? reseller)
    {
        var index = history.IndexFor(Subscription, Direct, reseller);
        var lines = new List<string>();
        foreach (var resource in Resources)
        {
            foreach (var day in Days)
            {
                var d = index.Decide(resource, MeterExclusion.None, day);
                var evidence = d.Reason switch
                {
                    PecReason.Denied => index.DenyId(d.Assignment),
                    PecReason.IneligibleRole or PecReason.OtherPartnerOnly => index.AssignmentId(d.Assignment),
                    PecReason.PartialDay => $"{d.GapStart:O}-{d.GapEnd:O}",
                    _ => string.Empty,
                };
                lines.Add($"{resource} {day} {d.Reason} {evidence} [{string.Join(",", CoveringIds(history, d))}]");
            }
        }

        return lines;
    }

    private static Func<ArmScope, bool> ArmScopeCovering(string resource) =>
        scope => resource.Equals(scope.Path, StringComparison.OrdinalIgnoreCase)
            || resource.StartsWith(scope.Path + "/", StringComparison.OrdinalIgnoreCase);

    private static bool Overlaps(AccessPeriod period, DateTime start, DateTime end) =>
        period.Start < end && (period.End is null || period.End > start);

    // The first instant of [start, end) the periods leave uncovered, or null.
    private static DateTime? FirstGap(IEnumerable<AccessPeriod> periods, DateTime start, DateTime end)
    {
        var covered = start;
        foreach (var period in periods.OrderBy(p => p.Start))
        {
            if (period.Start > covered)
            {
                break;
            }

            var until = period.End ?? DateTime.MaxValue;
            if (until > covered)
            {
                covered = until;
            }
        }

        return covered >= end ? null : covered;
    }
}
