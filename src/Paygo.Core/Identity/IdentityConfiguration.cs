using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Identity;

/// <summary>Users and what signs them in: recovery codes, enrolment tokens, passkeys, ceremonies, dashboard sessions.</summary>
internal sealed class PaygoUserConfiguration : IEntityTypeConfiguration<PaygoUser>
{
    public void Configure(EntityTypeBuilder<PaygoUser> e)
    {
        e.ToTable("Users");
        e.HasKey(u => u.Id);
        e.Property(u => u.Id).ValueGeneratedNever();
        e.Property(u => u.UserName).HasMaxLength(256);
        e.Property(u => u.NormalizedUserName).HasMaxLength(256);
        e.Property(u => u.Email).HasMaxLength(256);
        e.Property(u => u.NormalizedEmail).HasMaxLength(256);
        e.Property(u => u.DisplayName).HasMaxLength(200);
        e.Property(u => u.Roles).HasMaxLength(200);
        // Encrypted (docs/adr/0015): a Data Protection payload of a 32-character secret is about 160 characters.
        e.Property(u => u.TotpSecret).HasMaxLength(512);
        e.HasIndex(u => u.NormalizedEmail).IsUnique();
        e.HasIndex(u => u.PartnerId);
    }
}

internal sealed class RecoveryCodeConfiguration : IEntityTypeConfiguration<RecoveryCode>
{
    public void Configure(EntityTypeBuilder<RecoveryCode> e)
    {
        e.ToTable("RecoveryCodes");
        e.HasKey(c => new { c.UserId, c.CodeHash });
        e.Property(c => c.CodeHash).HasMaxLength(64);
    }
}

internal sealed class EnrolmentTokenConfiguration : IEntityTypeConfiguration<EnrolmentToken>
{
    public void Configure(EntityTypeBuilder<EnrolmentToken> e)
    {
        e.ToTable("EnrolmentTokens");
        e.HasKey(t => t.TokenHash);
        e.Property(t => t.TokenHash).HasMaxLength(64);
        e.HasIndex(t => t.UserId);
    }
}

internal sealed class UserPasskeyConfiguration : IEntityTypeConfiguration<UserPasskey>
{
    public void Configure(EntityTypeBuilder<UserPasskey> e)
    {
        e.ToTable("UserPasskeys");
        e.HasKey(p => p.CredentialId);
        // WebAuthn caps credential ids at 1023 bytes.
        e.Property(p => p.CredentialId).HasMaxLength(1023);
        e.Property(p => p.Name).HasMaxLength(100);
        e.Property(p => p.Transports).HasMaxLength(100);
        e.HasIndex(p => p.UserId);
        e.HasIndex(p => p.PartnerId);
    }
}

internal sealed class PasskeyCeremonyConfiguration : IEntityTypeConfiguration<PasskeyCeremony>
{
    public void Configure(EntityTypeBuilder<PasskeyCeremony> e)
    {
        e.ToTable("PasskeyCeremonies");
        e.HasKey(c => c.Id);
        e.Property(c => c.Id).ValueGeneratedNever();
        e.Property(c => c.Purpose).HasMaxLength(20);
        e.HasIndex(c => c.UserId);
    }
}

internal sealed class DashboardSessionRecordConfiguration : IEntityTypeConfiguration<DashboardSessionRecord>
{
    public void Configure(EntityTypeBuilder<DashboardSessionRecord> e)
    {
        e.ToTable("DashboardSessions");
        e.HasKey(s => s.Id);
        e.Property(s => s.Id).ValueGeneratedNever();
        e.HasIndex(s => s.UserId);
        e.HasIndex(s => s.ExpiresAt);
    }
}
