using System.Globalization;
using System.Text.Json;
using Paygo.Core.Common;

namespace Paygo.Core.Budgets;

/// <summary>What the budget rule decides for one customer at one moment.</summary>
public enum BudgetDecision
{
    /// <summary>Send the 80 % notification now.</summary>
    Notify,

    /// <summary>No budget, or a zero one: nothing to compare spend with.</summary>
    NoBudget,

    /// <summary>Spend is under 80 % of the budget.</summary>
    BelowThreshold,

    /// <summary>Spend passed 100 %: Partner Center sends nothing more (reference §7.5).</summary>
    OverBudget,

    /// <summary>A notification went out less than 7 days ago in this month.</summary>
    RecentlyNotified,
}

/// <summary>
/// The budget rule of reference §7.5 as pure functions (docs/adr/0034): notify when month-to-date
/// spend is at least 80 % and at most 100 % of the budget, at most once every 7 days; a new month
/// starts afresh; nothing once spend exceeds the budget.
/// </summary>
public static class BudgetRules
{
    public const decimal ThresholdShare = 0.8m;

    public static readonly TimeSpan Interval = TimeSpan.FromDays(7);

    public const int MaxDecimals = 2;

    /// <param name="budget">The monthly amount in the billing currency.</param>
    /// <param name="spend">Month-to-date spend in the same currency.</param>
    /// <param name="lastSent">When the last budget notification for the customer was delivered, if ever.</param>
    /// <param name="now">The moment of the check.</param>
    public static BudgetDecision Decide(decimal budget, decimal spend, DateTimeOffset? lastSent, DateTimeOffset now)
    {
        if (budget <= 0)
        {
            return BudgetDecision.NoBudget;
        }

        if (spend > budget)
        {
            return BudgetDecision.OverBudget;
        }

        // Exact in decimal: 80.00 of 100 is the threshold itself, 79.99 is not.
        if (spend < budget * ThresholdShare)
        {
            return BudgetDecision.BelowThreshold;
        }

        if (lastSent is { } last && SameUtcMonth(last, now) && now - last < Interval)
        {
            return BudgetDecision.RecentlyNotified;
        }

        return BudgetDecision.Notify;
    }

    /// <summary>Spend as a percentage of the budget, one decimal, for the notification's text.</summary>
    public static decimal PercentOf(decimal spend, decimal budget) => budget <= 0 ? 0 : Math.Round(spend / budget * 100m, 1, MidpointRounding.ToZero);

    /// <summary>
    /// Reads <c>amount</c>: a JSON number (or a numeric string, as the API reads numbers) of at
    /// least 0, at most <see cref="BudgetBook.MaxAmount"/>, with at most two decimals; anything else
    /// is a 400 naming <c>amount</c>.
    /// </summary>
    public static (decimal Amount, ApiError? Error) ParseAmount(JsonElement? amount)
    {
        const string Field = "amount";
        if (amount is not { } value || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return (0, ApiError.InvalidField(Field, "The field 'amount' is required: the monthly budget in the partner's billing currency, e.g. 100."));
        }

        decimal parsed;
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (!value.TryGetDecimal(out parsed))
            {
                return (0, ApiError.InvalidField(Field, $"The field 'amount' must be a decimal number of at most {BudgetBook.MaxAmount.ToString(CultureInfo.InvariantCulture)}; {value.GetRawText()} is not."));
            }
        }
        else if (value.ValueKind == JsonValueKind.String
            && decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var fromText))
        {
            parsed = fromText;
        }
        else
        {
            return (0, ApiError.InvalidField(Field, $"The field 'amount' must be a number, e.g. 100; {ErrorText.Quote(value.GetRawText())} is not."));
        }

        if (parsed < 0)
        {
            return (0, ApiError.InvalidField(Field, $"The field 'amount' must be 0 or more; {parsed.ToString(CultureInfo.InvariantCulture)} is negative."));
        }

        if (parsed > BudgetBook.MaxAmount)
        {
            return (0, ApiError.InvalidField(Field, $"The field 'amount' must be at most {BudgetBook.MaxAmount.ToString(CultureInfo.InvariantCulture)}."));
        }

        if (parsed.Scale > MaxDecimals && parsed != Math.Round(parsed, MaxDecimals))
        {
            return (0, ApiError.InvalidField(Field, $"The field 'amount' has at most {MaxDecimals} decimals; {parsed.ToString(CultureInfo.InvariantCulture)} has more."));
        }

        return (Math.Round(parsed, MaxDecimals), null);
    }

    private static bool SameUtcMonth(DateTimeOffset a, DateTimeOffset b) =>
        a.UtcDateTime.Year == b.UtcDateTime.Year && a.UtcDateTime.Month == b.UtcDateTime.Month;
}
