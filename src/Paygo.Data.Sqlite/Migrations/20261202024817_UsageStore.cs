using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paygo.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class UsageStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CancelledAt",
                table: "AzureEntitlements",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "UsageRecords",
                columns: table => new
                {
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EntitlementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ResourceUri = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    MeterId = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    UsageDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Quantity = table.Column<decimal>(type: "TEXT", nullable: false),
                    Location = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Tags = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    AdditionalInfo = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: true),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AcceptedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageRecords", x => new { x.PartnerId, x.RecordId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_PartnerId_CustomerId_UsageDate",
                table: "UsageRecords",
                columns: new[] { "PartnerId", "CustomerId", "UsageDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsageRecords");

            migrationBuilder.DropColumn(
                name: "CancelledAt",
                table: "AzureEntitlements");
        }
    }
}
