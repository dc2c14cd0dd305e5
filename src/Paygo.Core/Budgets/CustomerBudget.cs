using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Budgets;

/// <summary>
/// A customer's monthly spending budget (reference §7.5): one per customer, set by the partner
/// that bills it, in that partner's billing currency. Informational: it never stops usage; it
/// drives the 80 % notification (<see cref="BudgetRules"/>).
/// </summary>
public sealed class CustomerBudget
{
    /// <summary>The customer's tenant id; one budget per customer.</summary>
    public Guid CustomerId { get; set; }

    /// <summary>The partner that bills the customer, whose currency the amount is in.</summary>
    public Guid PartnerId { get; set; }

    /// <summary>The monthly amount, ≥ 0, at most two decimals. Zero means "no notifications".</summary>
    public decimal Amount { get; set; }

    /// <summary>ISO 4217 code of the amount: the billing partner's currency when it was set.</summary>
    public required string Currency { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Who set it (the user's e-mail).</summary>
    public string? UpdatedBy { get; set; }
}

internal sealed class CustomerBudgetConfiguration : IEntityTypeConfiguration<CustomerBudget>
{
    public void Configure(EntityTypeBuilder<CustomerBudget> e)
    {
        e.ToTable("CustomerBudgets");
        e.HasKey(b => b.CustomerId);
        e.Property(b => b.Amount).HasPrecision(18, 2);
        e.Property(b => b.Currency).HasMaxLength(3);
        e.Property(b => b.UpdatedBy).HasMaxLength(256);
        e.HasIndex(b => b.PartnerId);
        e.HasOne<Customers.Customer>().WithMany().HasForeignKey(b => b.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
