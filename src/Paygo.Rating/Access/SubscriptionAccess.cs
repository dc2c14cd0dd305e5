using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Access;

/// <summary>
/// The PEC interval index of one Azure subscription for one billed partner (and its reseller of
/// record): for each distinct scope, the periods of four kinds of assignment, each sorted by
/// start: the partner's qualifying ones, the partner's ones whose role earns nothing, other
/// partners' qualifying ones, and deny assignments. A decision walks the few scopes that cover
/// the resource and sweeps the day; it allocates nothing.
/// </summary>
public sealed class SubscriptionAccess
{
    private const int Own = 0;
    private const int Ineligible = 1;
    private const int Other = 2;
    private const int Deny = 3;
    private const int Kinds = 4;

    // Past this many overlapping periods a decision rents its merge buffer instead of using the stack.
    private const int StackPeriods = 64;

    private readonly AccessHistory _history;
    private readonly ScopeEntry[] _scopes;
    private readonly Period[] _periods;
    private readonly long[] _maxEnd;

    // The shape of most subscriptions, kept in the object itself so a decision touches one
    // object and one string: a single scope (the subscription, with its AOBO Owner) holding a
    // single qualifying period of the partner and no deny. A day it covers is earned at once;
    // any other day takes the general path.
    private readonly string? _onlyPath;
    private readonly long _onlyStart;
    private readonly long _onlyEnd;
    private readonly int _onlyIndex;

    private SubscriptionAccess(AccessHistory history, ScopeEntry[] scopes, Period[] periods, long[] maxEnd)
    {
        _history = history;
        _scopes = scopes;
        _periods = periods;
        _maxEnd = maxEnd;
        if (scopes.Length == 1 && scopes[0].Slices[Own].Count == 1 && scopes[0].Slices[Deny].Count == 0)
        {
            var only = periods[scopes[0].Slices[Own].Start];
            _onlyPath = scopes[0].Path;
            _onlyStart = only.Start;
            _onlyEnd = only.End;
            _onlyIndex = only.Index;
        }
    }

    public AccessHistory History => _history;

    /// <summary>How many distinct scopes hold an assignment that matters to this partner's PEC.</summary>
    public int ScopeCount => _scopes.Length;

    internal static SubscriptionAccess Build(AccessHistory history, List<int> allows, List<int> denies, string partnerId, string? resellerId)
    {
        var byScope = new Dictionary<string, List<Period>[]>(StringComparer.OrdinalIgnoreCase);
        List<Period>[] ListsOf(ArmScope scope)
        {
            if (!byScope.TryGetValue(scope.Path, out var lists))
            {
                lists = [[], [], [], []];
                byScope.Add(scope.Path, lists);
            }

            return lists;
        }

        foreach (var i in allows)
        {
            var assignment = history.Assignments[i];
            var principal = assignment.Principal;
            var forBilled = principal.ActsFor(partnerId) || (resellerId is not null && principal.ActsFor(resellerId));
            var eligible = history.Roles.IsPecEligible(assignment.RoleDefinitionId);
            var kind = forBilled ? (eligible ? Own : Ineligible)
                : eligible && principal.ActsForAnyPartner ? Other
                : -1;
            if (kind >= 0)
            {
                ListsOf(assignment.Scope)[kind].Add(new Period(assignment.Period.StartTicks, assignment.Period.EndTicks, i));
            }
        }

        foreach (var i in denies)
        {
            var deny = history.Denies[i];
            ListsOf(deny.Scope)[Deny].Add(new Period(deny.Period.StartTicks, deny.Period.EndTicks, i));
        }

        // Shortest scope first: the subscription itself, which holds the AOBO Owner, is tried first.
        var paths = byScope.Keys.OrderBy(p => p.Length).ThenBy(p => p, StringComparer.OrdinalIgnoreCase).ToArray();
        var scopes = new ScopeEntry[paths.Length];
        var periods = new List<Period>();
        for (var s = 0; s < paths.Length; s++)
        {
            var lists = byScope[paths[s]];
            var entry = new ScopeEntry { Path = paths[s] };
            for (var kind = 0; kind < Kinds; kind++)
            {
                var list = lists[kind];
                list.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Index.CompareTo(b.Index));
                entry.Slices[kind] = new Slice(periods.Count, list.Count);
                periods.AddRange(list);
            }

            scopes[s] = entry;
        }

        // Running maximum of the ends within each slice: a binary search finds the first period
        // that can still overlap a day, however long the history of PIM activations before it.
        var all = periods.ToArray();
        var maxEnd = new long[all.Length];
        foreach (var entry in scopes)
        {
            for (var kind = 0; kind < Kinds; kind++)
            {
                var slice = entry.Slices[kind];
                var running = long.MinValue;
                for (var k = slice.Start; k < slice.Start + slice.Count; k++)
                {
                    running = Math.Max(running, all[k].End);
                    maxEnd[k] = running;
                }
            }
        }

        return new SubscriptionAccess(history, scopes, all, maxEnd);
    }

    /// <summary>The decision for a usage row whose meter has this price list row.</summary>
    public PecDecision Decide(ReadOnlySpan<char> resourceId, PriceListRow meter, DateOnly day) =>
        Decide(resourceId, MeterRules.Classify(meter), day);

    /// <summary>
    /// The PEC decision for resource <paramref name="resourceId"/> (an ARM id in this subscription),
    /// a meter under <paramref name="meter"/> (from <see cref="MeterRules.Classify"/>, once per meter)
    /// and the UTC day <paramref name="day"/>, i.e. <c>[day 00:00Z, day+1 00:00Z)</c>.
    /// </summary>
    public PecDecision Decide(ReadOnlySpan<char> resourceId, MeterExclusion meter, DateOnly day)
    {
        if (meter != MeterExclusion.None)
        {
            return PecDecision.Excluded(meter);
        }

        var dayStart = day.DayNumber * TimeSpan.TicksPerDay;
        var dayEnd = dayStart + TimeSpan.TicksPerDay;
        if (_onlyPath is not null && _onlyStart <= dayStart && _onlyEnd >= dayEnd && ArmScope.Covers(_onlyPath, resourceId))
        {
            var cover = default(CoverBuffer);
            cover[0] = _onlyIndex;
            return PecDecision.Covered(1, cover);
        }

        // One pass over the covering scopes: denies first, and how many of the partner's periods touch the day.
        var deny = int.MaxValue;
        var ownScopes = 0;
        var ownScope = -1;
        var ownPeriods = 0;
        var scopes = _scopes;
        for (var s = 0; s < scopes.Length; s++)
        {
            ref readonly var entry = ref scopes[s];
            if (!ArmScope.Covers(entry.Path, resourceId))
            {
                continue;
            }

            deny = Math.Min(deny, FirstOverlapping(entry.Slices[Deny], dayStart, dayEnd));
            var own = CountOverlapping(entry.Slices[Own], dayStart, dayEnd);
            if (own > 0)
            {
                ownScopes++;
                ownScope = s;
                ownPeriods += own;
            }
        }

        if (deny != int.MaxValue)
        {
            return PecDecision.Because(PecReason.Denied, deny);
        }

        if (ownScopes == 1)
        {
            // The usual case: one scope (the subscription) holds the partner's access; its periods are already in order.
            var slice = scopes[ownScope].Slices[Own];
            var first = FirstCandidate(slice, dayStart);
            return Sweep(_periods.AsSpan(first, slice.Start + slice.Count - first), dayStart, dayEnd);
        }

        if (ownScopes > 1)
        {
            return SweepMerged(resourceId, ownPeriods, dayStart, dayEnd);
        }

        var ineligible = FirstOverlappingIn(resourceId, Ineligible, dayStart, dayEnd);
        if (ineligible != int.MaxValue)
        {
            return PecDecision.Because(PecReason.IneligibleRole, ineligible);
        }

        var other = FirstOverlappingIn(resourceId, Other, dayStart, dayEnd);
        return other != int.MaxValue
            ? PecDecision.Because(PecReason.OtherPartnerOnly, other)
            : PecDecision.Because(PecReason.NoAccess, -1);
    }

    /// <summary>The id of the allow assignment a decision names by index.</summary>
    public string AssignmentId(int index) => _history.Assignments[index].Id;

    /// <summary>The id of the deny assignment a <see cref="PecReason.Denied"/> decision names.</summary>
    public string DenyId(int index) => _history.Denies[index].Id;

    /// <summary>The decision in words, naming assignment ids: what the PEC evidence page and CLI show. Allocates.</summary>
    public string Describe(in PecDecision decision)
    {
        switch (decision.Reason)
        {
            case PecReason.Earned:
                return $"earned {PecDecision.RatePercent} %: covered by {CoveringIds(decision)}";
            case PecReason.ExcludedMeter:
                return $"not eligible: excluded meter ({decision.ExcludedBy})";
            case PecReason.Denied:
                return $"lost: denied by deny assignment {DenyId(decision.Assignment)}";
            case PecReason.PartialDay:
                var time = decision.GapStart.ToString("HH:mm", CultureInfo.InvariantCulture);
                var until = decision.GapEnd.TimeOfDay == TimeSpan.Zero ? "24:00" : decision.GapEnd.ToString("HH:mm", CultureInfo.InvariantCulture);
                return decision.CoverCount == 0
                    ? $"lost: partial day, gap from {time} to {until}"
                    : $"lost: partial day, gap from {time} to {until} (covered before by {CoveringIds(decision)})";
            case PecReason.IneligibleRole:
                return $"lost: only roles that earn no PEC, e.g. assignment {AssignmentId(decision.Assignment)}";
            case PecReason.OtherPartnerOnly:
                return $"lost: access held only by another partner, e.g. assignment {AssignmentId(decision.Assignment)}";
            default:
                return "lost: no access";
        }
    }

    private string CoveringIds(in PecDecision decision)
    {
        var ids = new List<string>();
        for (var i = 0; i < Math.Min(decision.CoverCount, PecDecision.InlineCover); i++)
        {
            ids.Add(AssignmentId(decision.Covering(i)));
        }

        var more = decision.HasAllCovering ? string.Empty : $" and {decision.CoverCount - PecDecision.InlineCover} more";
        return string.Join(", ", ids) + more;
    }

    // Greedy cover of [dayStart, dayEnd) by periods sorted by (start, index): from the covered
    // point, take the period that reaches furthest (ties to the smaller index, i.e. the smaller
    // id), until the day is covered or nothing reaches past the covered point: that is the first gap.
    private static PecDecision Sweep(ReadOnlySpan<Period> periods, long dayStart, long dayEnd)
    {
        var cover = default(CoverBuffer);
        var count = 0;
        var covered = dayStart;
        var next = 0;
        while (covered < dayEnd)
        {
            var best = -1;
            var bestEnd = covered;
            while (next < periods.Length && periods[next].Start <= covered)
            {
                ref readonly var period = ref periods[next];
                if (period.End > bestEnd || (best >= 0 && period.End == bestEnd && period.Index < best))
                {
                    best = period.Index;
                    bestEnd = period.End;
                }

                next++;
            }

            if (best < 0)
            {
                var resume = dayEnd;
                for (var k = next; k < periods.Length; k++)
                {
                    if (periods[k].End > covered)
                    {
                        resume = Math.Min(resume, periods[k].Start);
                        break;
                    }
                }

                return PecDecision.Partial(covered, resume, count, cover);
            }

            if (count < PecDecision.InlineCover)
            {
                cover[count] = best;
            }

            count++;
            covered = bestEnd;
        }

        return PecDecision.Covered(count, cover);
    }

    // The partner's access sits on several covering scopes (the subscription and a resource
    // group, say): merge their periods that touch the day into one ordered run, then sweep.
    private PecDecision SweepMerged(ReadOnlySpan<char> resourceId, int count, long dayStart, long dayEnd)
    {
        Period[]? rented = null;
        var buffer = count <= StackPeriods ? stackalloc Period[StackPeriods] : (rented = ArrayPool<Period>.Shared.Rent(count));
        try
        {
            var n = 0;
            foreach (ref readonly var entry in _scopes.AsSpan())
            {
                if (!ArmScope.Covers(entry.Path, resourceId))
                {
                    continue;
                }

                var slice = entry.Slices[Own];
                for (var k = FirstCandidate(slice, dayStart); k < slice.Start + slice.Count && _periods[k].Start < dayEnd; k++)
                {
                    if (_periods[k].End > dayStart)
                    {
                        buffer[n++] = _periods[k];
                    }
                }
            }

            var merged = buffer[..n];
            merged.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Index.CompareTo(b.Index));
            return Sweep(merged, dayStart, dayEnd);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<Period>.Shared.Return(rented);
            }
        }
    }

    private int FirstOverlappingIn(ReadOnlySpan<char> resourceId, int kind, long dayStart, long dayEnd)
    {
        var first = int.MaxValue;
        foreach (ref readonly var entry in _scopes.AsSpan())
        {
            if (ArmScope.Covers(entry.Path, resourceId))
            {
                first = Math.Min(first, FirstOverlapping(entry.Slices[kind], dayStart, dayEnd));
            }
        }

        return first;
    }

    // The smallest index (id) among the slice's periods that overlap the day; int.MaxValue if none.
    private int FirstOverlapping(Slice slice, long dayStart, long dayEnd)
    {
        var first = int.MaxValue;
        for (var k = FirstCandidate(slice, dayStart); k < slice.Start + slice.Count && _periods[k].Start < dayEnd; k++)
        {
            if (_periods[k].End > dayStart)
            {
                first = Math.Min(first, _periods[k].Index);
            }
        }

        return first;
    }

    private int CountOverlapping(Slice slice, long dayStart, long dayEnd)
    {
        var count = 0;
        for (var k = FirstCandidate(slice, dayStart); k < slice.Start + slice.Count && _periods[k].Start < dayEnd; k++)
        {
            if (_periods[k].End > dayStart)
            {
                count++;
            }
        }

        return count;
    }

    // The first period of the slice whose running maximum end passes the day's start: none
    // before it can overlap the day.
    private int FirstCandidate(Slice slice, long dayStart)
    {
        int low = slice.Start, high = slice.Start + slice.Count;
        if (slice.Count <= 8)
        {
            while (low < high && _maxEnd[low] <= dayStart)
            {
                low++;
            }

            return low;
        }

        while (low < high)
        {
            var mid = low + ((high - low) >> 1);
            if (_maxEnd[mid] <= dayStart)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Period(long Start, long End, int Index);

    private readonly record struct Slice(int Start, int Count);

    private struct ScopeEntry
    {
        public string Path;
        public Slices Slices;
    }

    [System.Runtime.CompilerServices.InlineArray(Kinds)]
    private struct Slices
    {
        private Slice _element;
    }
}
