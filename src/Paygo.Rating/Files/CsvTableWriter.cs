using System.Globalization;

namespace Paygo.Rating.Files;

/// <summary>
/// Writes a file of any <see cref="ColumnTable"/> given as texts, one row at a time: for a format
/// whose row type comes later, or to write back what <see cref="CsvTableReader"/> read. The rules
/// are <see cref="CsvTableWriter{TRow}"/>'s.
/// </summary>
public sealed class CsvTableWriter : IDisposable, IAsyncDisposable
{
    private readonly CsvFields _fields;

    public CsvTableWriter(TextWriter writer, ColumnTable table) => _fields = new CsvFields(writer, table);

    public CsvTableWriter(Stream stream, ColumnTable table, bool leaveOpen = false)
        : this(CsvFields.Open(stream, leaveOpen), table)
    {
    }

    /// <summary>Writes one row: one text per column, in table order.</summary>
    public void WriteCells(IReadOnlyList<string?> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count != _fields.Table.Count)
        {
            throw new ArgumentException($"a {_fields.Table.Format} row has {_fields.Table.Count} cells, not {cells.Count}", nameof(cells));
        }

        for (var i = 0; i < cells.Count; i++)
        {
            _fields.Separator(i);
            _fields.Text(cells[i]);
        }

        _fields.EndRow();
    }

    public void Flush() => _fields.Writer.Flush();

    public void Dispose() => _fields.Writer.Dispose();

    public ValueTask DisposeAsync() => _fields.Writer.DisposeAsync();
}

/// <summary>
/// Writes <typeparamref name="TRow"/>s in a table's format, one at a time, so an export of any
/// size streams: the header first, then each row's cells in the table's order, each taken from
/// the row by its column (no column is named here). Texts verbatim, quoted only when they must be
/// (or always, with <see cref="ColumnTable.QuoteAll"/>); decimals with the scale they carry; dates
/// in the table's <see cref="ColumnTable.DateFormat"/>; CRLF after every row; UTF-8 without a BOM
/// (DOMAIN.md §10).
/// </summary>
public sealed class CsvTableWriter<TRow> : IDisposable, IAsyncDisposable
{
    private readonly CsvFields _fields;
    private readonly FileColumn<TRow>[] _columns;

    public CsvTableWriter(TextWriter writer, ColumnTable<TRow> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        _fields = new CsvFields(writer, table);
        _columns = [.. table.Columns];
    }

    public CsvTableWriter(Stream stream, ColumnTable<TRow> table, bool leaveOpen = false)
        : this(CsvFields.Open(stream, leaveOpen), table)
    {
    }

    public void Write(TRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var columns = _columns;
        for (var i = 0; i < columns.Length; i++)
        {
            _fields.Separator(i);
            var column = columns[i];
            switch (column.Kind)
            {
                case CellKind.Text:
                    _fields.Text(column.TextOf(row));
                    break;
                case CellKind.Number:
                    _fields.Number(column.NumberOf(row));
                    break;
                default:
                    _fields.Date(column.DateOf(row));
                    break;
            }
        }

        _fields.EndRow();
    }

    public void Flush() => _fields.Writer.Flush();

    public Task FlushAsync(CancellationToken cancellationToken) => _fields.Writer.FlushAsync(cancellationToken);

    public void Dispose() => _fields.Writer.Dispose();

    public ValueTask DisposeAsync() => _fields.Writer.DisposeAsync();
}

/// <summary>The field formatting both writers share.</summary>
internal sealed class CsvFields
{
    private readonly char[] _buffer = new char[64];

    public CsvFields(TextWriter writer, ColumnTable table)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(table);
        Writer = writer;
        Table = table;
        for (var i = 0; i < table.Count; i++)
        {
            Separator(i);
            Text(table.Header[i]);
        }

        EndRow();
    }

    public TextWriter Writer { get; }

    public ColumnTable Table { get; }

    public static StreamWriter Open(Stream stream, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new StreamWriter(stream, CsvText.Utf8NoBom, bufferSize: 1 << 16, leaveOpen);
    }

    public void Separator(int column)
    {
        if (column > 0)
        {
            Writer.Write(',');
        }
    }

    public void EndRow() => Writer.Write(CsvText.NewLine);

    public void Text(ReadOnlySpan<char> value) => CsvText.WriteField(Writer, value, Table.QuoteAll);

    public void Number(decimal? value)
    {
        if (value is not { } number)
        {
            Text(default);
            return;
        }

        // Decimal formatting keeps the scale, so "0.50" read is "0.50" written.
        number.TryFormat(_buffer, out var written, default, CultureInfo.InvariantCulture);
        Text(_buffer.AsSpan(0, written));
    }

    public void Date(DateTime value)
    {
        value.TryFormat(_buffer, out var written, Table.DateFormat, CultureInfo.InvariantCulture);
        Text(_buffer.AsSpan(0, written));
    }
}
