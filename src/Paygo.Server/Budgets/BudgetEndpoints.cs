using System.Security.Claims;
using Paygo.Core.Budgets;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Users;
using Paygo.Server.Api;
using Paygo.Server.Identity;

namespace Paygo.Server.Budgets;

/// <summary>A customer's spending budget (reference §7.5, docs/adr/0034). See Budgets.http.</summary>
public static class BudgetEndpoints
{
    public static IEndpointRouteBuilder MapBudgets(this IEndpointRouteBuilder app)
    {
        var customer = app.MapGroup("/v1/customers/{customerId}").WithTags("Budgets");
        customer.MapGet("/usagebudget", GetBudget).RequireAuthorization(AuthSetup.Policy(ApiOperation.BudgetsRead))
            .WithName("GetCustomerUsageBudget")
            .WithSummary("The customer's monthly spending budget in the partner's billing currency; \"amount\": null when none is set.")
            .Produces<SpendingBudgetResource>();
        customer.MapPatch("/usagebudget", SetBudget).RequireAuthorization(AuthSetup.Policy(ApiOperation.BudgetsWrite))
            .WithName("UpdateCustomerUsageBudget")
            .WithSummary("Sets the budget ({\"Amount\": 100, \"Attributes\": {\"ObjectType\": \"SpendingBudget\"}}): Admin agent or Global admin of the billing partner; amount ≥ 0, two decimals.")
            .Produces<SpendingBudgetResource>();
        return app;
    }

    internal static async Task<IResult> GetBudget(string customerId, ClaimsPrincipal principal, BudgetBook budgets, CancellationToken cancellationToken)
    {
        if (CustomerVisibility.ParseId(customerId, out var customer) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        var (resource, error) = await budgets.GetAsync(Caller.From(principal), customer, cancellationToken);
        return resource is not null ? TypedResults.Ok(resource) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> SetBudget(string customerId, SpendingBudgetRequest request, ClaimsPrincipal principal, BudgetBook budgets, CancellationToken cancellationToken)
    {
        if (CustomerVisibility.ParseId(customerId, out var customer) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        var (resource, error) = await budgets.SetAsync(Caller.From(principal), customer, request, cancellationToken);
        return resource is not null ? TypedResults.Ok(resource) : ApiResults.Error(error!);
    }
}
