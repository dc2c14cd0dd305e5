namespace Paygo.Core.Markets;

/// <summary>
/// A market a price list is for: an ISO 3166-1 alpha-2 code, upper case. Made only by
/// <see cref="TryParse"/>, so a Core operation that takes one never checks it again; text from a
/// request is parsed at the edge, where its error can name the field (docs/adr/0019).
/// </summary>
public readonly record struct Market
{
    private Market(string code) => Code = code;

    public string Code { get; }

    public static bool TryParse(string? text, out Market market)
    {
        market = default;
        if (string.IsNullOrWhiteSpace(text) || text.Trim().Length != 2 || !Countries.TryGetBillingCurrency(text, out var code, out _))
        {
            return false;
        }

        market = new Market(code);
        return true;
    }

    /// <summary>A market known to be valid (a constant, a stored list's); throws otherwise.</summary>
    public static Market Parse(string text) =>
        TryParse(text, out var market) ? market : throw new FormatException($"'{text}' is not a two-letter market.");

    public override string ToString() => Code ?? string.Empty;
}
