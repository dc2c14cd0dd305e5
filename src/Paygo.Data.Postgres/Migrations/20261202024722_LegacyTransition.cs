using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paygo.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class LegacyTransition : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AzureSubscriptionTransitions",
                columns: table => new
                {
                    EntitlementId = table.Column<Guid>(type: "uuid", nullable: false),
                    UpgradeId = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    LegacySubscriptionId = table.Column<Guid>(type: "uuid", nullable: false),
                    AzurePlanId = table.Column<Guid>(type: "uuid", nullable: false),
                    TransitionedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AzureSubscriptionTransitions", x => x.EntitlementId);
                });

            migrationBuilder.CreateTable(
                name: "LegacyAzureImports",
                columns: table => new
                {
                    SubscriptionId = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerSharedServices = table.Column<bool>(type: "boolean", nullable: false),
                    ImportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ImportedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegacyAzureImports", x => x.SubscriptionId);
                });

            migrationBuilder.CreateTable(
                name: "ProductUpgrades",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    CustomerId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProductFamily = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProductUpgrades", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AzureSubscriptionTransitions_CustomerId",
                table: "AzureSubscriptionTransitions",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_AzureSubscriptionTransitions_UpgradeId",
                table: "AzureSubscriptionTransitions",
                column: "UpgradeId");

            migrationBuilder.CreateIndex(
                name: "IX_LegacyAzureImports_CustomerId",
                table: "LegacyAzureImports",
                column: "CustomerId");

            migrationBuilder.CreateIndex(
                name: "IX_ProductUpgrades_CustomerId_ProductFamily",
                table: "ProductUpgrades",
                columns: new[] { "CustomerId", "ProductFamily" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ProductUpgrades_PartnerId",
                table: "ProductUpgrades",
                column: "PartnerId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AzureSubscriptionTransitions");

            migrationBuilder.DropTable(
                name: "LegacyAzureImports");

            migrationBuilder.DropTable(
                name: "ProductUpgrades");
        }
    }
}
