using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Users;

namespace Paygo.Core.Budgets;

/// <summary>
/// Reading and setting a customer's spending budget (reference §7.5, docs/adr/0034). Reads follow
/// the visible-customer check (the billing partner, its reseller of record, the operator); only
/// the partner that bills the customer sets it, since the amount is in that partner's currency and
/// its people receive the notifications.
/// </summary>
public sealed class BudgetBook(PaygoDbContext db, AuditTrail audit, TimeProvider clock)
{
    /// <summary>The largest amount accepted: what decimal(18, 2) holds.</summary>
    public const decimal MaxAmount = 9_999_999_999_999_999.99m;

    public const string AuditOperation = "update_customer_spending_budget";

    public async Task<Result<SpendingBudgetResource>> GetAsync(Caller caller, Guid customerId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.BudgetsRead);
        if (!await CustomerVisibility.IsVisibleAsync(db, caller, customerId, cancellationToken))
        {
            return CustomerVisibility.NotFound(customerId);
        }

        var amount = await db.CustomerBudgets.AsNoTracking().Where(b => b.CustomerId == customerId).Select(b => (decimal?)b.Amount).FirstOrDefaultAsync(cancellationToken);
        return SpendingBudgetResource.Of(amount);
    }

    /// <summary>The budget with its currency for the customer page; null for a customer the caller cannot see.</summary>
    public async Task<BudgetView?> ViewAsync(Caller caller, Guid customerId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.BudgetsRead);
        var customer = await CustomerVisibility.FindAsync(db, caller, customerId, cancellationToken);
        if (customer is null)
        {
            return null;
        }

        var budget = await db.CustomerBudgets.AsNoTracking().FirstOrDefaultAsync(b => b.CustomerId == customerId, cancellationToken);
        var currency = budget?.Currency ?? await db.Partners.AsNoTracking().Where(p => p.Id == customer.PartnerId).Select(p => p.BillingCurrency).FirstAsync(cancellationToken);
        return new BudgetView(customerId, budget?.Amount, currency, budget?.UpdatedAt, budget?.UpdatedBy,
            caller.Allows(ApiOperation.BudgetsWrite) && caller.PartnerId == customer.PartnerId);
    }

    public async Task<Result<SpendingBudgetResource>> SetAsync(Caller caller, Guid customerId, SpendingBudgetRequest request, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.BudgetsWrite);
        ArgumentNullException.ThrowIfNull(request);
        var customer = await CustomerVisibility.FindAsync(db, caller, customerId, cancellationToken);
        if (customer is null)
        {
            return CustomerVisibility.NotFound(customerId);
        }

        if (customer.PartnerId != caller.PartnerId)
        {
            return new ApiError(ErrorKind.Forbidden, ErrorCodes.PartnerTypeNotAllowed,
                "Only the partner that bills this customer sets its spending budget; an indirect reseller's customers' budgets are set by its indirect provider.");
        }

        var (amount, amountError) = BudgetRules.ParseAmount(request.Amount);
        if (amountError is not null)
        {
            return amountError;
        }

        if (request.Attributes?.ObjectType is { } objectType && !string.Equals(objectType, SpendingBudgetResource.ObjectType, StringComparison.OrdinalIgnoreCase))
        {
            return ApiError.InvalidField("attributes.objectType",
                $"The field 'attributes.objectType' must be '{SpendingBudgetResource.ObjectType}' when given; '{ErrorText.Quote(objectType)}' is not.");
        }

        var currency = await db.Partners.AsNoTracking().Where(p => p.Id == customer.PartnerId).Select(p => p.BillingCurrency).FirstAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var budget = await db.CustomerBudgets.FirstOrDefaultAsync(b => b.CustomerId == customerId, cancellationToken);
        var previous = budget?.Amount;

        // The same amount again changes nothing and records nothing: a retried PATCH is harmless.
        if (budget is not null && budget.Amount == amount && budget.Currency == currency)
        {
            return SpendingBudgetResource.Of(budget.Amount);
        }

        var now = clock.GetUtcNow();
        if (budget is null)
        {
            budget = new CustomerBudget { CustomerId = customerId, PartnerId = customer.PartnerId, Currency = currency };
            db.CustomerBudgets.Add(budget);
        }

        budget.Amount = amount;
        budget.Currency = currency;
        budget.UpdatedAt = now;
        budget.UpdatedBy = caller.Email;
        await audit.AppendAsync(new AuditEntry(AuditOperation, "customer", AuditEntry.Succeeded, PartnerId: customer.PartnerId, CustomerId: customerId,
            ResourceNewValue: JsonSerializer.Serialize(new { customerId, amount, previousAmount = previous, currency, at = now }, PaygoJson.Options)),
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return SpendingBudgetResource.Of(amount);
    }

    /// <summary>The amount as the dashboard writes it (invariant culture, two decimals).</summary>
    public static string Format(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
