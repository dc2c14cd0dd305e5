namespace Paygo.Core.Common;

/// <summary>Text helpers for error messages that quote what the caller sent.</summary>
public static class ErrorText
{
    public const int QuoteLength = 40;

    /// <summary>
    /// A value as an error message quotes it: echoing a huge or hostile value in full would make
    /// the message useless, so more than <see cref="QuoteLength"/> characters end in an ellipsis.
    /// </summary>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        return value.Length <= QuoteLength ? value : string.Concat(value.AsSpan(0, QuoteLength), "…");
    }
}
