namespace Paygo.Rating.Files;

/// <summary>
/// The columns of one file format, in file order: the one place a format's header is written.
/// A column's position is its place in this list; the reader, the writer and each engine's bulk
/// insert take names, positions and types from here (docs/adr/0023).
/// </summary>
public class ColumnTable
{
    private readonly Dictionary<string, FileColumn> _byName = new(StringComparer.Ordinal);

    public ColumnTable(string format, IReadOnlyList<FileColumn> columns, string dateFormat = IsoDate, bool quoteAll = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(format);
        ArgumentNullException.ThrowIfNull(columns);
        Format = format;
        DateFormat = dateFormat;
        QuoteAll = quoteAll;
        Columns = columns;
        var header = new string[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            if (!_byName.TryAdd(columns[i].Name, columns[i]))
            {
                throw new ArgumentException($"the {format} table names column {columns[i].Name} twice", nameof(columns));
            }

            columns[i].Place(i);
            header[i] = columns[i].Name;
        }

        Header = header;
    }

    /// <summary>ISO 8601 in UTC, DOMAIN.md §10's output format for dates of Paygo's own files.</summary>
    public const string IsoDate = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>The format's name for messages, e.g. "price list".</summary>
    public string Format { get; }

    /// <summary>How the writer formats dates (<see cref="IsoDate"/> unless the Microsoft file mimicked says otherwise).</summary>
    public string DateFormat { get; }

    /// <summary>True when every field, the header too, is written in double quotes (Microsoft's FX file).</summary>
    public bool QuoteAll { get; }

    public IReadOnlyList<FileColumn> Columns { get; }

    /// <summary>The header names in file order.</summary>
    public IReadOnlyList<string> Header { get; }

    public int Count => Columns.Count;

    public FileColumn this[string name] =>
        _byName.TryGetValue(name, out var column) ? column : throw new KeyNotFoundException($"the {Format} format has no column {name}");

    /// <summary>The column's 0-based position; throws for a name the format does not have (a typo fails at start-up, not in a file).</summary>
    public int IndexOf(string name) => this[name].Index;

    public bool Contains(string name) => _byName.ContainsKey(name);
}

/// <summary>A table whose columns also know how to read their value from a <typeparamref name="TRow"/>.</summary>
public sealed class ColumnTable<TRow> : ColumnTable
{
    public ColumnTable(string format, IReadOnlyList<FileColumn<TRow>> columns, string dateFormat = IsoDate, bool quoteAll = false)
        : base(format, columns, dateFormat, quoteAll) => Columns = columns;

    public new IReadOnlyList<FileColumn<TRow>> Columns { get; }

    public new FileColumn<TRow> this[string name] => (FileColumn<TRow>)base[name];
}
