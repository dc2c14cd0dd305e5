namespace Paygo.Rating.Files;

/// <summary>
/// One column of a file format: its header name, what its text means, whether a value is
/// required, and the database column it is stored in. Its place in the file is not written
/// anywhere: it is the column's position in its <see cref="ColumnTable"/>, so readers, writers
/// and bulk inserts that go by <see cref="Index"/> cannot disagree about it (docs/adr/0023).
/// </summary>
public class FileColumn
{
    public FileColumn(string name, ColumnType type, bool required = false, string? storedAs = null, IReadOnlyList<string>? choices = null, bool mayBeAbsent = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (type == ColumnType.Choice && (choices is null || choices.Count == 0))
        {
            throw new ArgumentException($"column {name} is a choice, so it needs its choices", nameof(choices));
        }

        if (required && mayBeAbsent)
        {
            throw new ArgumentException($"column {name} cannot be both required and allowed to be absent", nameof(mayBeAbsent));
        }

        Name = name;
        Type = type;
        Required = required;
        StoredAs = storedAs ?? name;
        Choices = choices ?? [];
        MayBeAbsent = mayBeAbsent;
    }

    /// <summary>The header text, exactly as the file spells it.</summary>
    public string Name { get; }

    public ColumnType Type { get; }

    /// <summary>True when a row must have a value here (an empty cell is a problem).</summary>
    public bool Required { get; }

    /// <summary>The database column the value is stored in (the file's name unless the schema differs).</summary>
    public string StoredAs { get; }

    /// <summary>The allowed values of a <see cref="ColumnType.Choice"/> column.</summary>
    public IReadOnlyList<string> Choices { get; }

    /// <summary>True when a file may leave the column out of its header (DOMAIN.md §10's optional usage columns).</summary>
    public bool MayBeAbsent { get; }

    /// <summary>The 0-based position in the file; set once, by the table the column is put in.</summary>
    public int Index { get; private set; } = -1;

    internal void Place(int index)
    {
        if (Index >= 0)
        {
            throw new InvalidOperationException($"column {Name} is already column {Index + 1} of another table");
        }

        Index = index;
    }

    public override string ToString() => Name;
}

/// <summary>What a row gives for a column: text, a decimal or a date (how the writer and the bulk inserts take it).</summary>
public enum CellKind
{
    Text,
    Number,
    Date,
}

/// <summary>
/// A column together with how to get its value out of a <typeparamref name="TRow"/>: the writer
/// and each engine's bulk insert go through the table's columns in order and ask each for its value.
/// </summary>
public sealed class FileColumn<TRow> : FileColumn
{
    private readonly Func<TRow, string?>? _text;
    private readonly Func<TRow, decimal?>? _decimal;
    private readonly Func<TRow, DateTime>? _date;

    internal FileColumn(string name, ColumnType type, bool required, string? storedAs, Func<TRow, string?>? text, Func<TRow, decimal?>? number, Func<TRow, DateTime>? date)
        : base(name, type, required, storedAs)
    {
        _text = text;
        _decimal = number;
        _date = date;
        Kind = text is not null ? CellKind.Text : number is not null ? CellKind.Number : CellKind.Date;
    }

    public CellKind Kind { get; }

    /// <summary>The value of a <see cref="CellKind.Text"/> column.</summary>
    public string? TextOf(TRow row) => _text is null ? throw WrongKind(CellKind.Text) : _text(row);

    /// <summary>The value of a <see cref="CellKind.Number"/> column; null for an empty cell.</summary>
    public decimal? NumberOf(TRow row) => _decimal is null ? throw WrongKind(CellKind.Number) : _decimal(row);

    /// <summary>The value of a <see cref="CellKind.Date"/> column.</summary>
    public DateTime DateOf(TRow row) => _date is null ? throw WrongKind(CellKind.Date) : _date(row);

    private InvalidOperationException WrongKind(CellKind asked) => new($"column {Name} holds {Kind}, not {asked}");
}

/// <summary>
/// Makes the columns of a <typeparamref name="TRow"/> table; with <c>using C = Columns&lt;MyRow&gt;</c>
/// a table reads as one line per column: name, type, required, accessor.
/// </summary>
// CA1000: a static generic class is what lets `using C = Columns<MyRow>` give every factory its row type.
#pragma warning disable CA1000
public static class Columns<TRow>
{
    public static FileColumn<TRow> Text(string name, Func<TRow, string?> value, bool required = false, string? storedAs = null, ColumnType type = ColumnType.Text) =>
        new(name, type, required, storedAs, value, null, null);

    public static FileColumn<TRow> Number(string name, Func<TRow, decimal?> value, bool required = false, string? storedAs = null) =>
        new(name, ColumnType.Number, required, storedAs, null, value, null);

    public static FileColumn<TRow> Date(string name, Func<TRow, DateTime> value, string? storedAs = null) =>
        new(name, ColumnType.Date, required: true, storedAs, null, null, value);
}
#pragma warning restore CA1000
