using System.Diagnostics.CodeAnalysis;

namespace Paygo.Rating.Pricing;

/// <summary>
/// A price list's <c>UnitOfMeasure</c>: the verbatim text (written back unchanged, trailing
/// spaces included), the block size the unit price covers and a normalised base unit.
/// </summary>
/// <remarks>
/// <c>10K</c> is a block of 10,000 units, <c>100 Hours</c> a block of 100 hours, <c>1 GB/Hour</c>
/// one GB per hour. <see cref="BlockSize"/> is the number of base units one <c>UnitPrice</c>
/// buys (the FinOps toolkit's <c>PricingBlockSize</c>), a positive whole number;
/// <see cref="BaseUnit"/> is a plural noun with an optional <c>/period</c> (<c>Hours</c>,
/// <c>GB/Month</c>, <c>Units/Hour</c>), the same across spellings (<c>1 hora</c>,
/// <c>1 小时</c> and <c>1 Hour</c> are all <c>Hours</c>). Nouns Paygo does not know are kept as
/// written; only text whose shape cannot be read (no way to tell the block size) is refused.
/// docs/adr/0010-price-list-files.md gives the grammar.
/// </remarks>
public readonly record struct UnitOfMeasure
{
    private UnitOfMeasure(string text, decimal blockSize, string baseUnit)
    {
        Text = text;
        BlockSize = blockSize;
        BaseUnit = baseUnit;
    }

    /// <summary>The text as the price list has it, not trimmed.</summary>
    public string Text { get; }

    /// <summary>Base units one unit price covers: 10,000 for <c>10K</c>; a positive whole number.</summary>
    public decimal BlockSize { get; }

    /// <summary>The normalised unit, e.g. <c>Hours</c>, <c>GB/Month</c>, <c>Units/Hour</c>.</summary>
    public string BaseUnit { get; }

    /// <summary>Reads a unit; false with a one-sentence <paramref name="error"/> for a shape that has no readable block size.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out UnitOfMeasure unit, [NotNullWhen(false)] out string? error)
    {
        unit = default;
        if (text is null)
        {
            error = "a unit of measure is required";
            return false;
        }

        if (!UnitGrammar.TryRead(text, out var blockSize, out var baseUnit, out error))
        {
            return false;
        }

        unit = new UnitOfMeasure(text, blockSize, baseUnit);
        return true;
    }

    /// <summary>Reads a unit that must be valid (Paygo's own tables and tests); throws <see cref="FormatException"/> otherwise.</summary>
    public static UnitOfMeasure Parse(string text) =>
        TryParse(text, out var unit, out var error) ? unit : throw new FormatException($"Unit of measure '{text}': {error}.");

    public override string ToString() => Text ?? string.Empty;
}
