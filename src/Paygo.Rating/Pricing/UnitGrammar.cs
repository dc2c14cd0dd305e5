using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Paygo.Rating.Pricing;

/// <summary>
/// The grammar of Microsoft's unit-of-measure strings, learned from every spelling in the FinOps
/// toolkit's PricingUnits.csv: <c>[per] [count[K|M|B]] [noun phrase] [/ [count] period]</c>.
/// </summary>
internal static class UnitGrammar
{
    // Spellings that the grammar would read differently from the way Microsoft prices them
    // (FinOps toolkit's PricingUnits.csv); each is a whole, trimmed text.
    private static readonly Dictionary<string, (decimal BlockSize, string BaseUnit)> Irregular = new(StringComparer.Ordinal)
    {
        // Two counts in a row: the unit is one hour.
        ["1 1 Hour"] = (1m, "Hours"),
        // Usage already counted in thousands.
        ["10000 1,000s"] = (10000m, "Transactions in Thousands"),
        // Usage already counted in ten-thousands, so one price unit is one usage unit.
        ["10000s"] = (1m, "Transactions"),
    };

    // Nouns and noun phrases, lower case, to their normalised plural.
    private static readonly Dictionary<string, string> Nouns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["unit"] = "Units", ["units"] = "Units", ["unassigned"] = "Units", ["database unit"] = "Units",
        ["database units (du)"] = "Units", ["messaging unit"] = "Units", ["operation units"] = "Units",
        ["reserved unit"] = "Units", ["reserved units"] = "Units",
        ["hour"] = "Hours", ["hours"] = "Hours", ["hrs"] = "Hours", ["hora"] = "Hours", ["小时"] = "Hours",
        ["day"] = "Days", ["days"] = "Days",
        ["minute"] = "Minutes", ["minutes"] = "Minutes", ["minute(s)"] = "Minutes", ["callingminutes"] = "Minutes",
        ["second"] = "Seconds", ["seconds"] = "Seconds",
        ["month"] = "Months", ["months"] = "Months", ["por mes"] = "Months",
        ["year"] = "Years", ["years"] = "Years",
        ["mb"] = "MB", ["gb"] = "GB", ["gib"] = "GiB", ["tb"] = "TB", ["tib"] = "TiB", ["pb"] = "PB", ["pib"] = "PiB",
        ["mbps"] = "Mbps", ["iops"] = "IOPS",
        ["api calls"] = "Requests", ["request"] = "Requests", ["requests"] = "Requests", ["call"] = "Calls", ["calls"] = "Calls",
        ["privacy subject rights request"] = "Requests",
        ["agent"] = "Agents", ["agents"] = "Agents",
        ["domain"] = "Domains", ["domains"] = "Domains",
        ["subscription"] = "Subscriptions", ["subscriptions"] = "Subscriptions",
        ["border routers"] = "Routers", ["router"] = "Routers", ["routers"] = "Routers",
        ["certificate"] = "Certificates", ["certificates"] = "Certificates",
        ["concurrent dvc"] = "Configurations",
        ["connection"] = "Connections", ["connections"] = "Connections",
        ["count"] = "Count",
        ["cubic meter"] = "Cubic Meters", ["cubic meters"] = "Cubic Meters",
        ["app"] = "Apps", ["apps"] = "Apps", ["pack"] = "Packs", ["packs"] = "Packs",
        ["user"] = "Users", ["users"] = "Users", ["named users"] = "Users", ["maus"] = "Users/Month",
        ["device"] = "Devices", ["devices"] = "Devices",
        ["execution"] = "Executions", ["executions"] = "Executions",
        ["key"] = "Keys", ["keys"] = "Keys", ["key use"] = "Keys",
        ["map"] = "Maps", ["maps"] = "Maps",
        ["million"] = "Million",
        ["node"] = "Nodes", ["nodes"] = "Nodes",
        ["pipeline"] = "Pipelines", ["pipelines"] = "Pipelines",
        ["plan"] = "Plans", ["plans"] = "Plans",
        ["policy"] = "Policies", ["policies"] = "Policies",
        ["resource"] = "Resources", ["resources"] = "Resources",
        ["rotation"] = "Rotations", ["rotations"] = "Rotations",
        ["site"] = "Sites", ["sites"] = "Sites",
        ["vm"] = "Virtual Machines", ["virtual machine"] = "Virtual Machines", ["virtual machines"] = "Virtual Machines",
        ["website"] = "Websites", ["websites"] = "Websites",
        ["zone"] = "Zones", ["zones"] = "Zones", ["hosted zones"] = "Zones",
        ["activities"] = "Activities", ["service endpoints"] = "Endpoints",
        ["authentications"] = "Authentications", ["apis"] = "APIs", ["activity runs"] = "Runs",
        ["checks"] = "Checks", ["licenses"] = "Licenses", ["renders"] = "Renders",
        ["transaction"] = "Transactions", ["transactions"] = "Transactions", ["actions"] = "Actions",
        ["faces"] = "Faces", ["operations"] = "Operations", ["predictions"] = "Predictions",
        ["data points"] = "Data Points", ["message"] = "Messages", ["messages"] = "Messages", ["text"] = "Messages",
        ["print job"] = "Requests", ["print jobs"] = "Requests", ["pushes"] = "Pushes", ["queries"] = "Queries", ["events"] = "Events",
    };

    // Periods after a slash, to their singular (a count before them makes them plural).
    private static readonly Dictionary<string, string> Periods = new(StringComparer.OrdinalIgnoreCase)
    {
        ["second"] = "Second", ["seconds"] = "Second",
        ["minute"] = "Minute", ["minutes"] = "Minute",
        ["hour"] = "Hour", ["hours"] = "Hour", ["hora"] = "Hour", ["小时"] = "Hour",
        ["day"] = "Day", ["days"] = "Day",
        ["month"] = "Month", ["months"] = "Month", ["mes"] = "Month", ["月"] = "Month",
        ["year"] = "Year", ["years"] = "Year",
    };

    // "Daily Connection" is connections per day.
    private static readonly Dictionary<string, string> Frequencies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hourly"] = "Hour", ["daily"] = "Day", ["monthly"] = "Month", ["annual"] = "Year", ["yearly"] = "Year",
    };

    // "GB Hour" stays "GB Hours"; any other word before a time ("Core Hours", "Relay Hrs") is dropped.
    private static readonly HashSet<string> QuantityTimeUnits = new(StringComparer.OrdinalIgnoreCase)
    {
        "mb", "gb", "gib", "tb", "tib", "pb", "pib", "db", "dbu", "unit",
    };

    private static readonly Dictionary<string, string> TimeNouns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["second"] = "Seconds", ["seconds"] = "Seconds", ["minute"] = "Minutes", ["minutes"] = "Minutes",
        ["hour"] = "Hours", ["hours"] = "Hours", ["hrs"] = "Hours",
    };

    public static bool TryRead(string text, out decimal blockSize, out string baseUnit, [NotNullWhen(false)] out string? error)
    {
        blockSize = 1m;
        baseUnit = string.Empty;
        var rest = text.AsSpan().Trim();
        if (rest.IsEmpty)
        {
            error = "a unit of measure is required";
            return false;
        }

        if (Irregular.TryGetValue(rest.ToString(), out var irregular))
        {
            (blockSize, baseUnit) = irregular;
            error = null;
            return true;
        }

        foreach (var c in rest)
        {
            if (char.IsControl(c))
            {
                error = "a unit of measure cannot contain control characters";
                return false;
            }
        }

        if (rest.StartsWith("per ", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest[4..].TrimStart();
            if (rest.IsEmpty || char.IsAsciiDigit(rest[0]))
            {
                error = "'per' must be followed by a noun, as in 'Per Request'";
                return false;
            }
        }
        else if (char.IsAsciiDigit(rest[0]))
        {
            if (!TryReadCount(ref rest, allowMultiplier: true, out blockSize, out error))
            {
                return false;
            }
        }

        if (rest.IsEmpty)
        {
            baseUnit = "Units";
            error = null;
            return true;
        }

        var slash = rest.LastIndexOf('/');
        if (slash >= 0)
        {
            var noun = rest[..slash].Trim();
            if (noun.Contains('/'))
            {
                error = "a unit of measure has at most one slash";
                return false;
            }

            string nounUnit;
            if (noun.IsEmpty)
            {
                nounUnit = "Units";
            }
            else if (!TryReadNounPhrase(noun, out nounUnit, out error))
            {
                return false;
            }

            if (!TryReadPeriod(rest[(slash + 1)..].Trim(), out var period, out error))
            {
                return false;
            }

            baseUnit = string.Concat(nounUnit, "/", period);
            return true;
        }

        return TryReadNounPhrase(rest, out baseUnit, out error);
    }

    // A positive whole count, optionally with K, M or B (10K = 10,000), ending at a space, a slash or the end.
    private static bool TryReadCount(ref ReadOnlySpan<char> rest, bool allowMultiplier, out decimal count, [NotNullWhen(false)] out string? error)
    {
        count = 0m;
        var digits = 0;
        while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
        {
            digits++;
        }

        if (digits > 18)
        {
            error = "the block size has more than 18 digits";
            return false;
        }

        // Decimal, so 18 digits times a billion (B) cannot overflow.
        var value = (decimal)long.Parse(rest[..digits], NumberStyles.None, CultureInfo.InvariantCulture);
        var next = digits;
        if (allowMultiplier && next < rest.Length && rest[next] is 'K' or 'M' or 'B')
        {
            value *= rest[next] switch { 'K' => 1_000m, 'M' => 1_000_000m, _ => 1_000_000_000m };
            next++;
        }

        // Microsoft's files sometimes put a no-break space after the count ("1\u00A0GB/mes").
        if (next < rest.Length && !char.IsWhiteSpace(rest[next]) && rest[next] != '/')
        {
            error = $"the count '{rest[..(next + 1)].ToString()}' is not a whole number followed by a space, a slash or K, M or B";
            return false;
        }

        if (value == 0)
        {
            error = "the block size must be at least 1";
            return false;
        }

        count = value;
        rest = rest[next..].TrimStart();
        error = null;
        return true;
    }

    private static bool TryReadPeriod(ReadOnlySpan<char> text, out string period, [NotNullWhen(false)] out string? error)
    {
        period = string.Empty;
        var count = 1m;
        if (!text.IsEmpty && char.IsAsciiDigit(text[0]) && !TryReadCount(ref text, allowMultiplier: false, out count, out error))
        {
            return false;
        }

        if (!Periods.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out var singular))
        {
            error = text.IsEmpty
                ? "a slash must be followed by a period such as Hour, Day or Month"
                : $"'{text.ToString()}' after the slash is not a period (Second, Minute, Hour, Day, Month, Year)";
            return false;
        }

        period = count == 1m ? singular : string.Create(CultureInfo.InvariantCulture, $"{count} {singular}s");
        error = null;
        return true;
    }

    private static bool TryReadNounPhrase(ReadOnlySpan<char> phrase, out string unit, [NotNullWhen(false)] out string? error)
    {
        unit = string.Empty;
        var words = CollapseSpaces(phrase);
        foreach (var range in words.AsSpan().Split(' '))
        {
            var word = words.AsSpan(range);
            if (!char.IsLetter(word[0]) && word[0] != '(')
            {
                error = $"the word '{word.ToString()}' does not start with a letter; a count can only come first";
                return false;
            }
        }

        error = null;
        if (Nouns.TryGetValue(words, out var known))
        {
            unit = known;
            return true;
        }

        var firstSpace = words.IndexOf(' ', StringComparison.Ordinal);
        if (firstSpace > 0 && Frequencies.TryGetValue(words[..firstSpace], out var perPeriod))
        {
            var noun = words[(firstSpace + 1)..];
            unit = string.Concat(Nouns.TryGetValue(noun, out var nounUnit) ? nounUnit : noun, "/", perPeriod);
            return true;
        }

        var lastSpace = words.LastIndexOf(' ');
        if (lastSpace > 0 && TimeNouns.TryGetValue(words[(lastSpace + 1)..], out var time))
        {
            var quantity = words[..lastSpace];
            if (string.Equals(quantity, "unit", StringComparison.OrdinalIgnoreCase))
            {
                // Microsoft's "Unit Hours" keeps the singular, as "GB Hours" does.
                unit = string.Concat("Unit ", time);
            }
            else
            {
                unit = QuantityTimeUnits.Contains(quantity)
                    ? string.Concat(Nouns.TryGetValue(quantity, out var q) ? q : quantity.ToUpperInvariant(), " ", time)
                    : time;
            }

            return true;
        }

        // A noun Paygo has not seen: kept as written (spaces collapsed), the block size is still known.
        unit = words;
        return true;
    }

    // Any run of white space (no-break spaces included) becomes one space.
    private static string CollapseSpaces(ReadOnlySpan<char> phrase)
    {
        var builder = new StringBuilder(phrase.Length);
        var pendingSpace = false;
        foreach (var c in phrase)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
