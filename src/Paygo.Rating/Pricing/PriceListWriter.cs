using System.Globalization;

namespace Paygo.Rating.Pricing;

/// <summary>
/// Writes price list rows in Partner Center's format, one at a time, so an export of any size
/// streams: the 18 columns in order, texts and units verbatim, decimals with the scale they were
/// read with, dates as <c>M/d/yyyy h:mm:ss tt</c>. A file read by <see cref="PriceListFile"/> and
/// written back is byte-identical when it was canonical (docs/adr/0010-price-list-files.md).
/// </summary>
public sealed class PriceListWriter : IDisposable, IAsyncDisposable
{
    private readonly TextWriter _writer;
    private readonly char[] _buffer = new char[64];

    internal PriceListWriter(Stream stream, bool leaveOpen)
        : this(new StreamWriter(stream, CsvText.Utf8NoBom, bufferSize: 1 << 16, leaveOpen))
    {
    }

    internal PriceListWriter(TextWriter writer)
    {
        _writer = writer;
        for (var i = 0; i < PriceListColumns.Count; i++)
        {
            if (i > 0)
            {
                _writer.Write(',');
            }

            _writer.Write(PriceListColumns.All[i]);
        }

        _writer.Write(CsvText.NewLine);
    }

    public void Write(PriceListRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Text(row.ProductTitle);
        Text(row.ProductId);
        Text(row.SkuId);
        Text(row.SkuTitle);
        Text(row.Publisher);
        Text(row.SkuDescription);
        Text(row.UnitOfMeasure.Text);
        Text(row.TermDuration);
        Text(row.Market);
        Text(row.Currency.Value);
        Number(row.UnitPrice);
        Number(row.PricingTierRangeMin);
        Number(row.PricingTierRangeMax);
        Date(row.EffectiveStartDate);
        Date(row.EffectiveEndDate);
        Text(row.MeterIds);
        Text(row.MeterType);
        CsvText.WriteField(_writer, row.Tags);
        _writer.Write(CsvText.NewLine);
    }

    public void Flush() => _writer.Flush();

    public Task FlushAsync(CancellationToken cancellationToken) => _writer.FlushAsync(cancellationToken);

    public void Dispose() => _writer.Dispose();

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private void Text(string? value)
    {
        CsvText.WriteField(_writer, value);
        _writer.Write(',');
    }

    private void Number(decimal? value)
    {
        if (value is { } number)
        {
            // Decimal formatting keeps the scale, so "0.50" read is "0.50" written.
            number.TryFormat(_buffer, out var written, default, CultureInfo.InvariantCulture);
            _writer.Write(_buffer.AsSpan(0, written));
        }

        _writer.Write(',');
    }

    private void Date(DateTime value)
    {
        value.TryFormat(_buffer, out var written, PriceText.DateFormat, CultureInfo.InvariantCulture);
        _writer.Write(_buffer.AsSpan(0, written));
        _writer.Write(',');
    }
}
