using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Paygo.Rating.Access;

namespace Paygo.Benchmarks;

/// <summary>
/// Issue 11 point 3's budget: at least 5 million PEC decisions per second on one core, over the
/// rating benchmark's shape: 20,000 Azure subscriptions, 200,000 resources, 31 days, 20 % of the
/// subscriptions losing access mid-month. Each invocation decides every (resource, day) once,
/// 6,200,000 decisions, so the reported mean is the time of one decision.
/// </summary>
/// <remarks>
/// In process: the benchmark needs nothing but Paygo.Rating, and on a shared two-core machine
/// BenchmarkDotNet's separate build of the boilerplate project hits its two-minute timeout.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class PecBenchmarks
{
    private const int Subscriptions = 20_000;
    private const int ResourcesPerSubscription = 10;
    private const int Days = 31;
    private const int Decisions = Subscriptions * ResourcesPerSubscription * Days;

    public const int DecisionsPerInvoke = Decisions;
    private static readonly DateOnly FirstDay = new(2026, 12, 1);

    private SubscriptionAccess[] _indexes = [];
    private string[] _resources = [];
    private MeterExclusion[] _meters = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        var monthStart = FirstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var allows = new List<RoleAssignment>();
        var denies = new List<DenyAssignment>();
        var billing = new (string Subscription, string Partner, string? Reseller)[Subscriptions];
        _resources = new string[Subscriptions * ResourcesPerSubscription];
        _meters = new MeterExclusion[_resources.Length];
        for (var s = 0; s < Subscriptions; s++)
        {
            var subscription = new Guid(random.Next(), (short)s, (short)(s >> 16), 1, 2, 3, 4, 5, 6, 7, 8).ToString();
            var scope = $"/subscriptions/{subscription}";
            var indirect = random.Next(10) < 3;
            var partner = $"{1_000_000 + random.Next(200)}";
            var reseller = indirect ? $"{2_000_000 + random.Next(2_000)}" : null;
            billing[s] = (subscription, partner, reseller);
            var holder = reseller ?? partner;

            // The AOBO Owner from the subscription's creation; 20 % lose it mid-month at some hour.
            DateTime? end = random.Next(5) == 0 ? monthStart.AddDays(random.Next(8, 22)).AddHours(random.Next(24)) : null;
            allows.Add(Assign($"aobo-{s}", Principal.AdminAgents($"fp-{holder}", holder), BuiltInRoles.Owner, scope, monthStart.AddDays(-random.Next(30, 900)), end));

            // Some customers also hold their own Owner, some partners a PAL'd user on one group, a few a deny for an afternoon.
            if (random.Next(4) == 0)
            {
                allows.Add(Assign($"cust-{s}", Principal.User($"owner-{s}"), BuiltInRoles.Owner, scope, monthStart.AddDays(-400), null));
            }

            if (random.Next(10) == 0)
            {
                allows.Add(Assign($"pal-{s}", Principal.User($"ops-{s}", partner), BuiltInRoles.Contributor, $"{scope}/resourceGroups/rg-1", monthStart.AddDays(random.Next(31)), null));
            }

            if (random.Next(50) == 0)
            {
                var day = monthStart.AddDays(random.Next(31)).AddHours(13);
                denies.Add(new DenyAssignment($"deny-{s}", ArmScope.Parse($"{scope}/resourceGroups/rg-0"), new AccessPeriod(day, day.AddHours(4))));
            }

            for (var r = 0; r < ResourcesPerSubscription; r++)
            {
                var i = (s * ResourcesPerSubscription) + r;
                _resources[i] = $"{scope}/resourceGroups/rg-{r % 3}/providers/Microsoft.Compute/virtualMachines/vm-{r:D2}";
                _meters[i] = random.Next(20) == 0 ? MeterExclusion.ThirdParty : MeterExclusion.None;
            }
        }

        var history = new AccessHistory(allows, denies);
        _indexes = new SubscriptionAccess[Subscriptions];
        for (var s = 0; s < Subscriptions; s++)
        {
            _indexes[s] = history.IndexFor(billing[s].Subscription, billing[s].Partner, billing[s].Reseller);
        }
    }

    /// <summary>A subscription's rows together, as the rater takes them: one index, every resource and day.</summary>
    [Benchmark(OperationsPerInvoke = Decisions)]
    public int SubscriptionByResourceByDay()
    {
        var earned = 0;
        for (var s = 0; s < Subscriptions; s++)
        {
            var index = _indexes[s];
            for (var r = s * ResourcesPerSubscription; r < (s + 1) * ResourcesPerSubscription; r++)
            {
                var resource = _resources[r];
                var meter = _meters[r];
                for (var d = 0; d < Days; d++)
                {
                    earned += index.Decide(resource, meter, FirstDay.AddDays(d)).CreditPercent;
                }
            }
        }

        return earned;
    }

    /// <summary>Day by day over all 200,000 resources: the index changes every ten rows and the caches go cold.</summary>
    [Benchmark(OperationsPerInvoke = Decisions)]
    public int DayByResource()
    {
        var earned = 0;
        for (var d = 0; d < Days; d++)
        {
            var day = FirstDay.AddDays(d);
            for (var r = 0; r < _resources.Length; r++)
            {
                earned += _indexes[r / ResourcesPerSubscription].Decide(_resources[r], _meters[r], day).CreditPercent;
            }
        }

        return earned;
    }

    private static RoleAssignment Assign(string id, Principal principal, RoleDefinition role, string scope, DateTime start, DateTime? end) =>
        new(id, principal, role.Id, ArmScope.Parse(scope), new AccessPeriod(start, end));

    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() =>
            AddJob(Job.Default.WithStrategy(RunStrategy.Throughput).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(8)
                .WithToolchain(InProcessEmitToolchain.Instance));
    }
}
