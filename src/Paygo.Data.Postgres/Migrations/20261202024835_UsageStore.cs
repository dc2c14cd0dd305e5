using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paygo.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class UsageStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CancelledAt",
                table: "AzureEntitlements",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "UsageRecords",
                columns: table => new
                {
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "uuid", nullable: false),
                    EntitlementId = table.Column<Guid>(type: "uuid", nullable: false),
                    ResourceUri = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    MeterId = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    UsageDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Quantity = table.Column<decimal>(type: "numeric", nullable: false),
                    Location = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Tags = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: true),
                    AdditionalInfo = table.Column<string>(type: "character varying(8192)", maxLength: 8192, nullable: true),
                    ContentHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AcceptedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
