using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Users;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;

namespace Paygo.Core.Pricing;

/// <summary>
/// Monthly FX rates from Microsoft's FX file (DOMAIN.md §6): all-or-nothing import (each month in
/// the file replaces that month's rates in one transaction), export per month, and the
/// <c>PCToBCExchangeRate</c> of a billing currency, with a clear error when a month has no rate.
/// </summary>
public sealed class FxRateBook(PaygoDbContext db, AuditTrail audit, TimeProvider clock)
{
    public sealed record FxImportResource(IReadOnlyList<string> Months, int Rates, ResourceAttributes Attributes);

    public async Task<(FxImportResource? Imported, FileImportErrorBody? Problems)> ImportAsync(Caller caller, Stream csv, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PricesWrite);
        var read = await FxRateFile.ReadAsync(csv, cancellationToken);
        if (!read.Succeeded)
        {
            return (null, PriceListStore.Refused(read.Problems, read.ProblemCount));
        }

        var rates = read.Value!.Rates;
        var months = rates.Select(r => Months.ToNumber(r.Month)).Distinct().Order().ToList();
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.FxRates.Where(r => months.Contains(r.Month)).ExecuteDeleteAsync(cancellationToken);
        db.FxRates.AddRange(rates.Select(r => new StoredFxRate { Month = Months.ToNumber(r.Month), Currency = r.Currency.Value, UsdPerUnit = r.UsdPerUnit, ImportedAt = now }));
        await audit.AppendAsync(new AuditEntry("import_fx_rates", "fxrates", AuditEntry.Succeeded,
            ResourceNewValue: JsonSerializer.Serialize(new { months, rates = rates.Count }, PaygoJson.Options)), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (new FxImportResource([.. months.Select(m => m.ToString(System.Globalization.CultureInfo.InvariantCulture))], rates.Count, new ResourceAttributes("FxRatesImport")), null);
    }

    public async Task<IReadOnlyList<FxRate>> RatesAsync(Caller caller, BillingMonth month, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PricesRead);
        var number = Months.ToNumber(month);
        var stored = await db.FxRates.AsNoTracking().Where(r => r.Month == number).OrderBy(r => r.Currency).ToListAsync(cancellationToken);
        return [.. stored.Select(r => new FxRate(CurrencyCode.Parse(r.Currency), r.UsdPerUnit, month))];
    }

    /// <summary>The months that have FX rates, latest first (yyyyMM).</summary>
    public async Task<IReadOnlyList<int>> MonthsAsync(Caller caller, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PricesRead);
        return await db.FxRates.AsNoTracking().Select(r => r.Month).Distinct().OrderByDescending(m => m).ToListAsync(cancellationToken);
    }

    /// <summary>Parses a currency from request text at the edge; a bad one is Invalid naming <c>currency</c>.</summary>
    public static ApiError? ParseCurrency(string? text, out CurrencyCode currency) =>
        CurrencyCode.TryParse(text?.Trim(), out currency)
            ? null
            : ApiError.InvalidField("currency", $"The parameter 'currency' must be an ISO 4217 code such as EUR; '{ErrorText.Quote(text)}' is not.");

    /// <summary>The rate that turns a USD amount into <paramref name="currency"/> for invoices of <paramref name="month"/>.</summary>
    public async Task<(ExchangeRateResource? Rate, ApiError? Error)> PcToBcAsync(Caller caller, CurrencyCode currency, BillingMonth month, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PricesRead);
        var rates = FxRates.FromRates(await RatesAsync(caller, month, cancellationToken)).Value
            ?? throw new InvalidOperationException("Stored rates were valid when imported.");
        var lookup = rates.PcToBcExchangeRate(currency, month);
        return lookup.Found
            ? (new ExchangeRateResource(currency.Value, month.ToFileText(), lookup.PcToBcExchangeRate, new ResourceAttributes("ExchangeRate")), null)
            : (null, new ApiError(ErrorKind.NotFound, PriceListStore.NotImported,
                $"No FX rate for {currency.Value} in {month.ToFileText()}: import that month's FX file (POST /v1/pricing/fxrates) before billing in {currency.Value}."));
    }
}
