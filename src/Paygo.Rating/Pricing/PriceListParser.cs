using System.Runtime.CompilerServices;
using nietras.SeparatedValues;
using Paygo.Rating.Files;
using Paygo.Rating.Money;
using static Paygo.Rating.Pricing.PriceListColumns;

namespace Paygo.Rating.Pricing;

/// <summary>
/// Turns Sep rows into <see cref="PriceListRow"/>s, one at a time, reporting every bad cell.
/// The hot path of an import: no LINQ, no closures, strings shared through <see cref="TextPool"/>,
/// dates and units parsed once per distinct text, problem texts built out of line.
/// </summary>
internal sealed class PriceListParser
{
    private const int PoolCapacity = 1 << 16;

    // What the decoder puts where the bytes are not UTF-8 (CsvText.OpenText).
    private const char Replacement = '\uFFFD';

    // No price list value holds a NUL; a file full of them is binary, or UTF-16 without a BOM.
    private const char Nul = '\0';

    private readonly PriceListBuilder _builder = new();
    private readonly TextPool[] _pools = new TextPool[Count];
    private readonly Dictionary<string, UnitOfMeasure> _units = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UnitOfMeasure>.AlternateLookup<ReadOnlySpan<char>> _unitLookup;
    private readonly DateCache _startDates = new();
    private readonly DateCache _endDates = new();
    private UnitOfMeasure _lastUnit;
    private bool _sawHeader;
    private bool _headerFailed;
    private int _dataRows;

    public PriceListParser()
    {
        for (var i = 0; i < _pools.Length; i++)
        {
            // Meter ids are unique per meter: only the last one (the meter's other tiers) is worth keeping.
            _pools[i] = new TextPool(i == MeterIdsIndex ? 0 : PoolCapacity);
        }

        _unitLookup = _units.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private ProblemCollector Problems => _builder.Problems;

    /// <summary>Takes the next row; false when reading should stop (a bad header makes every row meaningless).</summary>
    public bool Accept(SepReader.Row row)
    {
        var rowNumber = row.RowIndex + 1;
        if (!_sawHeader)
        {
            _sawHeader = true;
            _headerFailed = !CheckText(row, rowNumber) || !CheckHeader(row);
            return !_headerFailed;
        }

        if (row.ColCount == 1 && row[0].Span.IsEmpty)
        {
            // A blank line holds no price; it still counts as a row, as in a spreadsheet.
            return true;
        }

        _dataRows++;
        if (!CheckText(row, rowNumber))
        {
            return true;
        }

        if (row.ColCount != Count)
        {
            AddFieldCountProblem(rowNumber, row.ColCount);
            return true;
        }

        ParseRow(row, rowNumber);
        return true;
    }

    public FileReadResult<PriceList> Finish(CancellationToken cancellationToken)
    {
        if (!_sawHeader)
        {
            Problems.AddRow(1, $"the file is empty; its first row must be the header {string.Join(',', All)}");
        }
        else if (!_headerFailed && _dataRows == 0)
        {
            // Importing it would replace the month's prices with none (S8: nothing lost).
            Problems.AddRow(2, "the file has the header but no prices; a price list has at least one row after the header");
        }

        return !_sawHeader || _headerFailed || _dataRows == 0
            ? FileReadResult<PriceList>.Failure(Problems.ToList(), Problems.Count)
            : _builder.Build(cancellationToken);
    }

    private bool CheckHeader(SepReader.Row row)
    {
        var ok = true;
        for (var i = 0; i < Count; i++)
        {
            if (i < row.ColCount && row[i].Span.SequenceEqual(All[i]))
            {
                continue;
            }

            ok = false;
            var found = -1;
            for (var j = 0; j < row.ColCount; j++)
            {
                if (row[j].Span.SequenceEqual(All[i]))
                {
                    found = j;
                    break;
                }
            }

            var reason = found < 0
                ? $"column {All[i]} is missing; it must be column {i + 1} of {Count}"
                : $"column {All[i]} is column {found + 1}; it must be column {i + 1} of {Count}";
            Problems.Add(1, i, All[i], found < 0 ? string.Empty : All[i], reason);
        }

        for (var j = 0; j < row.ColCount; j++)
        {
            var name = row[j].Span;
            var known = false;
            foreach (var column in All)
            {
                known |= name.SequenceEqual(column);
            }

            if (!known)
            {
                Problems.Add(1, Count + j, name.ToString(), name, $"column {j + 1} is not a price list column; the {Count} columns are {string.Join(',', All)}");
                ok = false;
            }
        }

        return ok;
    }

    private void ParseRow(SepReader.Row row, int rowNumber)
    {
        var before = Problems.Count;
        var productTitle = Text(row, ProductTitleIndex, rowNumber);
        var productId = Text(row, ProductIdIndex, rowNumber);
        var skuId = Text(row, SkuIdIndex, rowNumber);
        var skuTitle = Text(row, SkuTitleIndex, rowNumber);
        var publisher = Text(row, PublisherIndex, rowNumber);
        var skuDescription = Text(row, SkuDescriptionIndex, rowNumber);
        var unit = Unit(row[UnitOfMeasureIndex].Span, rowNumber);
        var termDuration = Text(row, TermDurationIndex, rowNumber);
        var market = Text(row, MarketIndex, rowNumber);
        var currency = Currency(row[CurrencyIndex].Span, rowNumber);
        var unitPrice = Number(row[UnitPriceIndex].Span, rowNumber, UnitPriceIndex, required: true);
        var tierMin = Number(row[PricingTierRangeMinIndex].Span, rowNumber, PricingTierRangeMinIndex, required: false);
        var tierMax = Number(row[PricingTierRangeMaxIndex].Span, rowNumber, PricingTierRangeMaxIndex, required: false);
        var start = Date(_startDates, row[EffectiveStartDateIndex].Span, rowNumber, EffectiveStartDateIndex);
        var end = Date(_endDates, row[EffectiveEndDateIndex].Span, rowNumber, EffectiveEndDateIndex);
        var meterIds = Text(row, MeterIdsIndex, rowNumber);
        var meterType = Text(row, MeterTypeIndex, rowNumber);
        var tags = Text(row, TagsIndex, rowNumber);

        var parsed = Problems.Count == before;
        var tierBoundsParsed = (tierMin is not null || row[PricingTierRangeMinIndex].Span.IsEmpty)
            && (tierMax is not null || row[PricingTierRangeMaxIndex].Span.IsEmpty);

        // A cell that did not parse gets a stand-in that passes the row checks, so the row's other
        // problems are still reported; the row itself is never kept.
        var typed = new PriceListRow(
            productTitle,
            productId,
            skuId,
            skuTitle,
            publisher,
            skuDescription,
            unit.Text is null ? StandIn.Unit : unit,
            termDuration,
            market,
            currency.Value is null ? CurrencyCode.Usd : currency,
            unitPrice ?? 0m,
            tierBoundsParsed ? tierMin : null,
            tierBoundsParsed ? tierMax : null,
            start == default ? DateTime.MinValue : start,
            end == default ? DateTime.MaxValue : end,
            meterIds,
            meterType,
            tags);
        if (parsed)
        {
            _builder.Add(typed, rowNumber);
        }
        else
        {
            _builder.Reject(typed, rowNumber);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private string Text(SepReader.Row row, int index, int rowNumber)
    {
        var text = row[index].Span;

        // Every character a spreadsheet starts a formula with sorts at or below '@'; most cells
        // start with a letter, so one comparison settles them.
        if (!text.IsEmpty && text[0] <= '@' && CsvText.StartsLikeAFormula(text))
        {
            AddFormulaProblem(rowNumber, index, text);
        }

        return _pools[index].Get(text);
    }

    /// <summary>
    /// The row-wide checks on the raw text: bytes that are not UTF-8, NUL characters, and a
    /// double quote that is never closed (the reader would take the rest of the file as one value).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool CheckText(SepReader.Row row, int rowNumber)
    {
        var span = row.Span;
        if (span.IndexOfAny(Replacement, Nul) >= 0)
        {
            AddCharacterProblem(row, rowNumber);
            return false;
        }

        // Quotes come in pairs in a well-formed row ("" inside a value is a pair too), and the
        // reader ends a row only outside quotes, so an odd count means the row ran to the end of the file.
        if ((span.Count('"') & 1) != 0)
        {
            AddUnterminatedQuoteProblem(rowNumber);
            return false;
        }

        return true;
    }

    private UnitOfMeasure Unit(ReadOnlySpan<char> text, int rowNumber)
    {
        if (text.SequenceEqual(_lastUnit.Text) && _lastUnit.Text is not null)
        {
            return _lastUnit;
        }

        if (_unitLookup.TryGetValue(text, out var unit))
        {
            _lastUnit = unit;
            return unit;
        }

        var value = text.ToString();
        if (!UnitOfMeasure.TryParse(value, out unit, out var error))
        {
            AddProblem(rowNumber, UnitOfMeasureIndex, text, error);
            return default;
        }

        _units.Add(value, unit);
        _lastUnit = unit;
        return unit;
    }

    private CurrencyCode Currency(ReadOnlySpan<char> text, int rowNumber)
    {
        if (text.SequenceEqual("USD"))
        {
            return CurrencyCode.Usd;
        }

        AddProblem(rowNumber, CurrencyIndex, text, text.IsEmpty ? "Currency is required: USD" : "Azure plan prices are in USD only (DOMAIN.md §6)");
        return default;
    }

    private decimal? Number(ReadOnlySpan<char> text, int rowNumber, int index, bool required)
    {
        if (text.IsEmpty)
        {
            if (required)
            {
                AddProblem(rowNumber, index, text, $"{All[index]} is required");
            }

            return null;
        }

        switch (PriceText.ParseDecimal(text, out var value))
        {
            case DecimalText.Exact:
                return value;
            case DecimalText.TooPrecise:
                AddTooPreciseProblem(rowNumber, index, text, value);
                return null;
            default:
                AddNumberProblem(rowNumber, index, text);
                return null;
        }
    }

    private DateTime Date(DateCache cache, ReadOnlySpan<char> text, int rowNumber, int index)
    {
        if (cache.TryGet(text, out var value))
        {
            return value;
        }

        if (!PriceText.TryParseDate(text, out value))
        {
            AddDateProblem(rowNumber, index, text);
            return default;
        }

        cache.Add(text, value);
        return value;
    }

    // Problem texts are built out of line so the row loop stays small (Sep's SepThrow pattern).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddProblem(int rowNumber, int index, ReadOnlySpan<char> text, string reason) =>
        Problems.Add(rowNumber, index, All[index], text, reason);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddNumberProblem(int rowNumber, int index, ReadOnlySpan<char> text) =>
        Problems.Add(rowNumber, index, All[index], text, $"{All[index]} must be a number written with digits and an optional '.', such as 0.0022");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddDateProblem(int rowNumber, int index, ReadOnlySpan<char> text) =>
        Problems.Add(
            rowNumber,
            index,
            All[index],
            text,
            text.IsEmpty
                ? $"{All[index]} is required"
                : $"{All[index]} must be a UTC date written M/d/yyyy h:mm:ss AM/PM (3/1/2018 12:00:00 AM) or yyyy-MM-dd");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddTooPreciseProblem(int rowNumber, int index, ReadOnlySpan<char> text, decimal rounded) =>
        Problems.Add(
            rowNumber,
            index,
            All[index],
            text,
            $"{All[index]} has more digits than Paygo keeps exactly (at most 28 after the point, and 28 or 29 in all); it would be stored as {PriceText.FormatRounded(rounded)}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddFormulaProblem(int rowNumber, int index, ReadOnlySpan<char> text) =>
        Problems.Add(rowNumber, index, All[index], text, CsvText.FormulaReason(All[index]));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddUnterminatedQuoteProblem(int rowNumber) =>
        Problems.AddRow(rowNumber, CsvText.UnterminatedQuoteReason);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddCharacterProblem(SepReader.Row row, int rowNumber)
    {
        for (var i = 0; i < row.ColCount; i++)
        {
            var text = row[i].Span;
            var bad = text.IndexOfAny(Replacement, Nul);
            if (bad >= 0)
            {
                var column = i < Count && rowNumber > 1 ? All[i] : $"column {i + 1}";
                var reason = text[bad] == Nul ? CsvText.NulReason : "the text here is not UTF-8; save the file as UTF-8 (\"CSV UTF-8\" in Excel)";
                Problems.Add(rowNumber, i, column, text, reason);
                return;
            }
        }

        // Not reached (every character of a row is in one of its cells); the row is refused all the same.
        Problems.AddRow(rowNumber, CsvText.NulReason);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddFieldCountProblem(int rowNumber, int fields) =>
        Problems.AddRow(rowNumber, $"the row has {fields} fields; a price list row has {Count} (a comma inside a value needs the value in double quotes)");

    private static class StandIn
    {
        public static readonly UnitOfMeasure Unit = UnitOfMeasure.Parse("1");
    }

    // A price list has a few hundred distinct dates at most; each is parsed once.
    private sealed class DateCache
    {
        private readonly Dictionary<string, DateTime> _dates = new(StringComparer.Ordinal);
        private readonly Dictionary<string, DateTime>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        public DateCache() => _lookup = _dates.GetAlternateLookup<ReadOnlySpan<char>>();

        public bool TryGet(ReadOnlySpan<char> text, out DateTime value) => _lookup.TryGetValue(text, out value);

        public void Add(ReadOnlySpan<char> text, DateTime value)
        {
            if (_dates.Count < PoolCapacity)
            {
                _lookup[text] = value;
            }
        }
    }
}
