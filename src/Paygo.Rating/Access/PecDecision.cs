using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Paygo.Rating.Access;

/// <summary>Why a (resource, meter, day) earned PEC or did not; the first that applies, in this order.</summary>
public enum PecReason : byte
{
    /// <summary>Earned: qualifying access covered the whole day; <see cref="PecDecision.CoverCount"/> assignments name it.</summary>
    Earned,

    /// <summary>The meter is excluded; <see cref="PecDecision.ExcludedBy"/> names the rule.</summary>
    ExcludedMeter,

    /// <summary>A deny assignment covering the resource overlaps the day; <see cref="PecDecision.Assignment"/> is its index among the history's denies.</summary>
    Denied,

    /// <summary>The partner's qualifying access covered part of the day; <see cref="PecDecision.GapStart"/> is the first instant it did not.</summary>
    PartialDay,

    /// <summary>The partner held only roles that earn no PEC (Reader, an unmarked custom role) that day; <see cref="PecDecision.Assignment"/> is one.</summary>
    IneligibleRole,

    /// <summary>Qualifying access that day was held only by another partner; <see cref="PecDecision.Assignment"/> is one such assignment.</summary>
    OtherPartnerOnly,

    /// <summary>No assignment of the partner, or of any other, touched the resource that day.</summary>
    NoAccess,
}

/// <summary>
/// The PEC decision for one resource, meter and UTC day, with its evidence. A value type with
/// the evidence inline (assignment indices into the <see cref="AccessHistory"/>), so deciding
/// allocates nothing; <see cref="SubscriptionAccess.Describe"/> turns it into words.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly struct PecDecision
{
    /// <summary>The PEC rate, in percent, that an earned day gets (reference §3.1).</summary>
    public const int RatePercent = 15;

    /// <summary>How many covering assignments a decision carries inline; <see cref="CoverCount"/> may be larger (a chain of short PIM activations), see <see cref="HasAllCovering"/>.</summary>
    public const int InlineCover = 8;

    private readonly CoverBuffer _cover;

    private PecDecision(PecReason reason, MeterExclusion excludedBy, int assignment, long gapStart, long gapEnd, int coverCount, in CoverBuffer cover)
    {
        Reason = reason;
        ExcludedBy = excludedBy;
        Assignment = assignment;
        GapStartTicks = gapStart;
        GapEndTicks = gapEnd;
        CoverCount = coverCount;
        _cover = cover;
    }

    public PecReason Reason { get; }

    /// <summary>0 or 15.</summary>
    public int CreditPercent => Reason == PecReason.Earned ? RatePercent : 0;

    public bool Earned => Reason == PecReason.Earned;

    /// <summary>The meter rule for <see cref="PecReason.ExcludedMeter"/>; None otherwise.</summary>
    public MeterExclusion ExcludedBy { get; }

    /// <summary>
    /// For <see cref="PecReason.Denied"/> the deny's index in <see cref="AccessHistory.Denies"/>; for
    /// <see cref="PecReason.IneligibleRole"/> and <see cref="PecReason.OtherPartnerOnly"/> an index in
    /// <see cref="AccessHistory.Assignments"/>; -1 otherwise.
    /// </summary>
    public int Assignment { get; }

    /// <summary>For <see cref="PecReason.PartialDay"/>: the first instant of the day the partner's access did not cover.</summary>
    public DateTime GapStart => new(GapStartTicks, DateTimeKind.Utc);

    /// <summary>For <see cref="PecReason.PartialDay"/>: where that first gap ends (coverage resumes, or the next midnight).</summary>
    public DateTime GapEnd => new(GapEndTicks, DateTimeKind.Utc);

    internal long GapStartTicks { get; }

    internal long GapEndTicks { get; }

    /// <summary>
    /// For <see cref="PecReason.Earned"/>: how many assignments make up the cover of the day (the
    /// fewest, chosen greedily, ties to the smaller assignment id); for <see cref="PecReason.PartialDay"/>:
    /// how many covered the part before the gap.
    /// </summary>
    public int CoverCount { get; }

    /// <summary>False when <see cref="CoverCount"/> exceeds <see cref="InlineCover"/>: only the first ones are kept.</summary>
    public bool HasAllCovering => CoverCount <= InlineCover;

    /// <summary>The <paramref name="i"/>th covering assignment, an index in <see cref="AccessHistory.Assignments"/>, in time order.</summary>
    public int Covering(int i)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(i);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, Math.Min(CoverCount, InlineCover));
        return _cover[i];
    }

    internal static PecDecision Excluded(MeterExclusion rule) => new(PecReason.ExcludedMeter, rule, -1, 0, 0, 0, default);

    internal static PecDecision Because(PecReason reason, int assignment) => new(reason, MeterExclusion.None, assignment, 0, 0, 0, default);

    internal static PecDecision Covered(int count, in CoverBuffer cover) => new(PecReason.Earned, MeterExclusion.None, -1, 0, 0, count, cover);

    internal static PecDecision Partial(long gapStart, long gapEnd, int count, in CoverBuffer cover) =>
        new(PecReason.PartialDay, MeterExclusion.None, -1, gapStart, gapEnd, count, cover);

    public override string ToString() => Reason switch
    {
        PecReason.Earned => $"{RatePercent} % (covered by {CoverCount} assignment(s))",
        PecReason.ExcludedMeter => $"0 % (excluded meter: {ExcludedBy})",
        PecReason.PartialDay => $"0 % (partial day, gap from {GapStart:HH:mm})",
        _ => $"0 % ({Reason})",
    };
}

[InlineArray(PecDecision.InlineCover)]
internal struct CoverBuffer
{
    private int _element;
}
