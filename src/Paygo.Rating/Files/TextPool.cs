namespace Paygo.Rating.Files;

/// <summary>
/// Shares the strings of one column across rows: a price list repeats its products, units,
/// markets and dates on every tier and meter, so a million rows need a few thousand distinct
/// strings, not millions. The last value is checked first (tiers of a meter are adjacent); a
/// bounded dictionary catches the rest without growing with a column of unique values.
/// </summary>
public sealed class TextPool
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;
    private string _last = string.Empty;

    public TextPool(int capacity)
    {
        _capacity = capacity;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Get(ReadOnlySpan<char> text)
    {
        if (text.SequenceEqual(_last))
        {
            return _last;
        }

        if (!_lookup.TryGetValue(text, out var value))
        {
            value = text.ToString();
            if (_strings.Count < _capacity)
            {
                _strings.Add(value, value);
            }
        }

        _last = value;
        return value;
    }
}
