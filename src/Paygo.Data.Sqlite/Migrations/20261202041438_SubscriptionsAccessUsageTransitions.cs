using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Paygo.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SubscriptionsAccessUsageTransitions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ActsForPartnerId",
                table: "RoleAssignments",
                type: "TEXT",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "Corrects",
                table: "RoleAssignments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalId",
                table: "RoleAssignments",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "RoleAssignments",
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "allow");

            migrationBuilder.AddColumn<long>(
                name: "RecordedAt",
                table: "RoleAssignments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "RecordedBy",
                table: "RoleAssignments",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CancellationReason",
                table: "AzureEntitlements",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CancelledAt",
                table: "AzureEntitlements",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ReactivatedAt",
                table: "AzureEntitlements",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AccessRoleDefinitions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IsCustom = table.Column<bool>(type: "INTEGER", nullable: false),
                    PecEligible = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessRoleDefinitions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AccessRoleEligibilityMarks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RoleDefinitionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PecEligible = table.Column<bool>(type: "INTEGER", nullable: false),
                    MarkedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    MarkedBy = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessRoleEligibilityMarks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AzureSubscriptionTransitions",
                columns: table => new
                {
                    EntitlementId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UpgradeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LegacySubscriptionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AzurePlanId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TransitionedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AzureSubscriptionTransitions", x => x.EntitlementId);
                });

            migrationBuilder.CreateTable(
                name: "LegacyAzureImports",
                columns: table => new
                {
                    SubscriptionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerSharedServices = table.Column<bool>(type: "INTEGER", nullable: false),
                    ImportedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ImportedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegacyAzureImports", x => x.SubscriptionId);
                });

            migrationBuilder.CreateTable(
                name: "ProductUpgrades",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProductFamily = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProductUpgrades", x => x.Id);
                });

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

            migrationBuilder.InsertData(
                table: "AccessRoleDefinitions",
                columns: new[] { "Id", "CreatedAt", "CreatedBy", "IsCustom", "Name", "PecEligible" },
                values: new object[,]
                {
                    { new Guid("00c29273-979b-4161-815c-10b084fb9324"), null, null, false, "Backup Operator", true },
                    { new Guid("028f4ed7-e2a9-465e-a8f4-9c0ffdfdc027"), null, null, false, "Data Box Reader", false },
                    { new Guid("03a6d094-3444-4b3d-88af-7477090a9e5e"), null, null, false, "Intelligent Systems Account Contributor", true },
                    { new Guid("056cd41c-7e88-42e1-933e-88ba6a50c9c3"), null, null, false, "SQL Security Manager", true },
                    { new Guid("08954f03-6346-4c2e-81c0-ec3a5cfae23b"), null, null, false, "Application Insights Snapshot Debugger", true },
                    { new Guid("090c5cfd-751d-490a-894a-3ce6f1109419"), null, null, false, "Azure Service Bus Data Owner", true },
                    { new Guid("0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8"), null, null, false, "Azure Kubernetes Service Cluster Admin Role", true },
                    { new Guid("0c867c2a-1d8c-454a-a3db-ab2ea1bdc8bb"), null, null, false, "Storage File Data SMB Share Contributor", true },
                    { new Guid("150f5e0c-0603-4f03-8c7f-cf70034c4e90"), null, null, false, "Data Purger", true },
                    { new Guid("17d1049b-9a84-46fb-8f53-869881c3d3ab"), null, null, false, "Storage Account Contributor", true },
                    { new Guid("188a0f2f-5c9e-469b-ae67-2aa5ce574b94"), null, null, false, "Scheduler Job Collections Contributor", true },
                    { new Guid("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"), null, null, false, "User Access Administrator", true },
                    { new Guid("19e7f393-937e-4f77-808e-94535e297925"), null, null, false, "Storage Queue Data Reader", false },
                    { new Guid("1c0163c0-47e6-4577-8991-ea5c82e286e4"), null, null, false, "Virtual Machine Administrator Login", true },
                    { new Guid("230815da-be43-4aae-9cb4-875f7bd000aa"), null, null, false, "Cosmos DB Operator", true },
                    { new Guid("2414bbcf-6497-4faf-8c65-045460748405"), null, null, false, "EventGrid EventSubscription Reader", false },
                    { new Guid("25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68"), null, null, false, "Cognitive Services Contributor", true },
                    { new Guid("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"), null, null, false, "Storage Blob Data Reader", false },
                    { new Guid("2b629674-e913-4c01-ae53-ef4638d8f975"), null, null, false, "Azure Event Hubs Data Sender", true },
                    { new Guid("2cc479cb-7b4d-49a8-b449-8c00fd0f0a4b"), null, null, false, "Web Plan Contributor", true },
                    { new Guid("312a565d-c81f-4fd8-895a-4e21e48d571c"), null, null, false, "API Management Service Contributor", true },
                    { new Guid("31a002a1-acaf-453e-8a5b-297c9ca1ea24"), null, null, false, "Blockchain Member Node Access (Preview)", true },
                    { new Guid("36243c78-bf99-498c-9df9-86d9f8d28608"), null, null, false, "Resource Policy Contributor", true },
                    { new Guid("3913510d-42f4-4e42-8a64-420c390055eb"), null, null, false, "Monitoring Metrics Publisher", true },
                    { new Guid("39bc4728-0917-49c7-9d2c-d95423bc2eb4"), null, null, false, "Security Reader", false },
                    { new Guid("41077137-e803-4205-871c-5a86e6a753b4"), null, null, false, "Blueprint Contributor", true },
                    { new Guid("423170ca-a8f6-4b0f-8487-9e4eb8f49bfa"), null, null, false, "Azure Maps Data Reader (Preview)", false },
                    { new Guid("426e0c7f-0c7e-4658-b36f-ff54d6c29b45"), null, null, false, "CDN Endpoint Contributor", true },
                    { new Guid("428e0ff0-5e57-4d9c-a221-2c70d0e0a443"), null, null, false, "EventGrid EventSubscription Contributor", true },
                    { new Guid("434105ed-43f6-45c7-a02f-909b2ba83430"), null, null, false, "Cost Management Contributor", true },
                    { new Guid("437d2ced-4a38-4302-8479-ed2bcb43d090"), null, null, false, "Blueprint Operator", true },
                    { new Guid("43d0d8ad-25c7-4714-9337-8ba259a9fe05"), null, null, false, "Monitoring Reader", false },
                    { new Guid("47b7735b-770e-4598-a7da-8b91488b4c88"), null, null, false, "Data Lake Analytics Developer", true },
                    { new Guid("4939a1f6-9ae0-4e48-a1e0-f2cbe897382d"), null, null, false, "SQL Managed Instance Contributor", true },
                    { new Guid("494ae006-db33-4328-bf46-533a6560a3ca"), null, null, false, "Site Recovery Operator", true },
                    { new Guid("4abbcc35-e782-43d8-92c5-2d3f1bd2253f"), null, null, false, "Azure Kubernetes Service Cluster User Role", true },
                    { new Guid("4d97b98b-1d4f-4787-a291-c67834d212e7"), null, null, false, "Network Contributor", true },
                    { new Guid("4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"), null, null, false, "Azure Service Bus Data Receiver", true },
                    { new Guid("4f8fab4f-1852-4a58-a46a-8eaf358af14a"), null, null, false, "Avere Contributor", true },
                    { new Guid("4fe576fe-1146-4730-92eb-48519fa6bf9f"), null, null, false, "Automation Job Operator", true },
                    { new Guid("515c2055-d9d4-4321-b1b9-bd0c9a0f79fe"), null, null, false, "Logic App Operator", true },
                    { new Guid("5bd9cd88-fe45-4216-938b-f97437e15450"), null, null, false, "DocumentDB Account Contributor", true },
                    { new Guid("5d28c62d-5b37-4476-8438-e587778df237"), null, null, false, "New Relic APM Account Contributor", true },
                    { new Guid("5d51204f-eb77-4b1c-b86a-2ec626c49413"), null, null, false, "Spatial Anchors Account Reader", false },
                    { new Guid("5d58bcaf-24a5-4b20-bdb6-eed9f69fbe4c"), null, null, false, "Management Group Contributor", true },
                    { new Guid("5e3c6656-6cfa-4708-81fe-0de47ac73342"), null, null, false, "BizTalk Contributor", true },
                    { new Guid("5e467623-bb1f-42f4-a55d-6e525e11384b"), null, null, false, "Backup Contributor", true },
                    { new Guid("5fb5aef8-1081-4b8e-bb16-9d5d0385bab5"), null, null, false, "Automation Runbook Operator", true },
                    { new Guid("61ed4efc-fab3-44fd-b111-e24485cc132a"), null, null, false, "HDInsight Cluster Operator", true },
                    { new Guid("6670b86e-a3f7-4917-ac9b-5d6ab1be4567"), null, null, false, "Site Recovery Contributor", true },
                    { new Guid("673868aa-7521-48a0-acc6-0f60742d39f5"), null, null, false, "Data Factory Contributor", true },
                    { new Guid("69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"), null, null, false, "Azure Service Bus Data Sender", true },
                    { new Guid("6cef56e8-d556-48e5-a04f-b8e64114680f"), null, null, false, "AcrImageSigner", true },
                    { new Guid("6d8ee4ec-f05a-4a1d-8b00-a9b17e38b437"), null, null, false, "SQL Server Contributor", true },
                    { new Guid("6f12a6df-dd06-4f3e-bcb1-ce8be600526a"), null, null, false, "Azure Stack Registration Owner", true },
                    { new Guid("70bbe301-9835-447d-afdd-19eb3167307c"), null, null, false, "Spatial Anchors Account Owner", true },
                    { new Guid("71522526-b88f-4d52-b57f-d31fc3546d0d"), null, null, false, "API Management Service Reader Role", false },
                    { new Guid("72fafb9e-0641-4937-9268-a91bfd8191a3"), null, null, false, "Cost Management Reader", false },
                    { new Guid("73c42c96-874c-492b-b04d-ab87d138a893"), null, null, false, "Log Analytics Reader", false },
                    { new Guid("749f88d5-cbae-40b8-bcfc-e573ddc772fa"), null, null, false, "Monitoring Contributor", true },
                    { new Guid("76283e04-6283-4c54-8f91-bcf1374a3c64"), null, null, false, "DevTest Labs User", true },
                    { new Guid("7ca78c08-252a-4471-8644-bb5ff32d4ba0"), null, null, false, "Search Service Contributor", true },
                    { new Guid("7f951dda-4ed3-4680-a7ca-43fe172d538d"), null, null, false, "AcrPull", true },
                    { new Guid("81a9662b-bebf-436f-a333-f67b29880f12"), null, null, false, "Storage Account Key Operator Service Role", true },
                    { new Guid("8311e382-0749-4cb8-b61a-304f252e45ec"), null, null, false, "AcrPush", true },
                    { new Guid("86e8f5dc-a6e9-4c67-9d15-de283e8eac25"), null, null, false, "Classic Storage Account Contributor", true },
                    { new Guid("871e35f6-b5c1-49cc-a043-bde969a0f2cd"), null, null, false, "CDN Endpoint Reader", false },
                    { new Guid("87a39d53-fc1b-424a-814c-f7e04687dc9e"), null, null, false, "Logic App Contributor", true },
                    { new Guid("8a0f0c08-91a1-4084-bc3d-661d67233fed"), null, null, false, "Storage Queue Data Message Processor", true },
                    { new Guid("8bbe83f1-e2a6-4df7-8cb4-4e04d4e5c827"), null, null, false, "Spatial Anchors Account Contributor", true },
                    { new Guid("8d8d5a11-05d3-4bda-a417-a08778121c7c"), null, null, false, "HDInsight Domain Services Contributor", true },
                    { new Guid("8e3af657-a8ff-443c-a75c-2fe8c4bcb635"), null, null, false, "Owner", true },
                    { new Guid("8f96442b-4075-438f-813d-ad51ab4019af"), null, null, false, "CDN Profile Reader", false },
                    { new Guid("92aaf0da-9dab-42b6-94a3-d43ce8d16293"), null, null, false, "Log Analytics Contributor", true },
                    { new Guid("974c5e8b-45b9-4653-ba55-5f855dd0fb88"), null, null, false, "Storage Queue Data Contributor", true },
                    { new Guid("985d6b00-f706-48f5-a6fe-d0ca12fb668d"), null, null, false, "Classic Storage Account Key Operator Service Role", true },
                    { new Guid("9980e02c-c2be-4d73-94e8-173b1dc7cf3c"), null, null, false, "Virtual Machine Contributor", true },
                    { new Guid("9b7fa17d-e63e-47b0-bb0a-15c516ac86ec"), null, null, false, "SQL DB Contributor", true },
                    { new Guid("a4b10055-b0c7-44c2-b00f-c7b5b3550cf7"), null, null, false, "Traffic Manager Contributor", true },
                    { new Guid("a638d3c7-ab3a-418d-83e6-5f17a39d4fde"), null, null, false, "Azure Event Hubs Data Receiver", true },
                    { new Guid("a7264617-510b-434b-a828-9731dc254ea7"), null, null, false, "Storage File Data SMB Share Elevated Contributor", true },
                    { new Guid("a795c7a0-d4a2-40c1-ae25-d81f01202912"), null, null, false, "Backup Reader", false },
                    { new Guid("a97b65f3-24c7-4388-baec-2e87135dc908"), null, null, false, "Cognitive Services User", false },
                    { new Guid("aba4ae5f-2193-4029-9191-0cb91df5e314"), null, null, false, "Storage File Data SMB Share Reader", false },
                    { new Guid("ac63b705-f282-497d-ac71-919bf39d939d"), null, null, false, "Management Group Reader", false },
                    { new Guid("acdd72a7-3385-48ef-bd42-f606fba81ae7"), null, null, false, "Reader", false },
                    { new Guid("add466c9-e687-43fc-8d98-dfcf8d720be5"), null, null, false, "Data Box Contributor", true },
                    { new Guid("ae349356-3a1b-4a5e-921d-050484c6347e"), null, null, false, "Application Insights Component Contributor", true },
                    { new Guid("b24988ac-6180-42a0-ab88-20f7382dd24c"), null, null, false, "Contributor", true },
                    { new Guid("b34d265f-36f7-4a0d-a4d4-e158ca92e90f"), null, null, false, "Classic Network Contributor", true },
                    { new Guid("b59867f0-fa02-499b-be73-45a86b5b3e1c"), null, null, false, "Cognitive Services Data Reader (Preview)", false },
                    { new Guid("b7e6dc6d-f1e8-4753-8033-0f276bb0955b"), null, null, false, "Storage Blob Data Owner", true },
                    { new Guid("b9331d33-8a36-4f8c-b097-4f54124fdb44"), null, null, false, "Managed Applications Reader", false },
                    { new Guid("b97fb8bc-a8b2-4522-a38b-dd33c7e65ead"), null, null, false, "Lab Creator", true },
                    { new Guid("ba92f5b4-2d11-453d-a403-e96b0029c9fe"), null, null, false, "Storage Blob Data Contributor", true },
                    { new Guid("befefa01-2a29-4197-83a8-272ff33ce314"), null, null, false, "DNS Zone Contributor", true },
                    { new Guid("c025889f-8102-4ebf-b32c-fc0c6f0c6bd9"), null, null, false, "Avere Operator", true },
                    { new Guid("c12c1c16-33a1-487b-954d-41c89c60f349"), null, null, false, "Reader and Data Access", true },
                    { new Guid("c2f4ef07-c644-48eb-af81-4b1b4947fb11"), null, null, false, "AcrDelete", true },
                    { new Guid("c6a89b2d-59bc-44d0-9896-0f6e12d7b80a"), null, null, false, "Storage Queue Data Message Sender", true },
                    { new Guid("c7393b34-138c-406f-901b-d8cf2b17e6ae"), null, null, false, "Managed Application Operator Role", true },
                    { new Guid("c8d4ff99-41c3-41a8-9f60-21dfdad59608"), null, null, false, "AcrQuarantineWriter", true },
                    { new Guid("cdda3590-29a3-44f6-95f2-9f980659eb04"), null, null, false, "AcrQuarantineReader", false },
                    { new Guid("cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e"), null, null, false, "Support Request Contributor", true },
                    { new Guid("d3881f73-407a-4167-8283-e981cbba0404"), null, null, false, "Automation Operator", true },
                    { new Guid("d73bb868-a0df-4d4d-bd69-98a00b01fccb"), null, null, false, "Classic Virtual Machine Contributor", true },
                    { new Guid("db58b8e5-c6ad-4a2a-8342-4190687cbf4a"), null, null, false, "Storage Blob Delegator", true },
                    { new Guid("db7b14f2-5adf-42da-9f96-f2ee17bab5cb"), null, null, false, "CosmosBackupOperator", true },
                    { new Guid("dbaa88c4-0c30-4179-9fb3-46319faa6149"), null, null, false, "Site Recovery Reader", false },
                    { new Guid("de139f84-1756-47ae-9be6-808fbbe84772"), null, null, false, "Website Contributor", true },
                    { new Guid("e022efe7-f5ba-4159-bbe4-b44f577e9b61"), null, null, false, "API Management Service Operator Role", true },
                    { new Guid("e0f68234-74aa-48ed-b826-c38b57376e17"), null, null, false, "Redis Cache Contributor", true },
                    { new Guid("e3d13bf0-dd5a-482e-ba6b-9b8433878d10"), null, null, false, "Security Manager (Legacy)", true },
                    { new Guid("e40ec5ca-96e0-45a2-b4ff-59039f2c2b59"), null, null, false, "Managed Identity Contributor", true },
                    { new Guid("ec156ff8-a8d1-4d15-830c-5b80698ca432"), null, null, false, "CDN Profile Contributor", true },
                    { new Guid("f1a07417-d97a-45cb-824c-7a7467783830"), null, null, false, "Managed Identity Operator", true },
                    { new Guid("f25e0fa2-a7c8-4377-a976-54943a77a395"), null, null, false, "Key Vault Contributor", true },
                    { new Guid("f526a384-b230-433a-b45c-95f59c4a2dec"), null, null, false, "Azure Event Hubs Data Owner", true },
                    { new Guid("fa23ad8b-c56e-40d8-ac0c-ce449e1d2c64"), null, null, false, "Billing Reader", false },
                    { new Guid("fb1c8493-542b-48eb-b624-b4c8fea62acd"), null, null, false, "Security Admin", true },
                    { new Guid("fb879df8-f326-4884-b1cf-06f3ad86be52"), null, null, false, "Virtual Machine User Login", true },
                    { new Guid("fbdf93bf-df7d-467e-a4d2-9458aa1360c8"), null, null, false, "Cosmos DB Account Reader Role", false }
                });

            migrationBuilder.CreateIndex(
                name: "IX_RoleAssignments_Corrects",
                table: "RoleAssignments",
                column: "Corrects");

            migrationBuilder.CreateIndex(
                name: "IX_RoleAssignments_EntitlementId_ExternalId",
                table: "RoleAssignments",
                columns: new[] { "EntitlementId", "ExternalId" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessRoleDefinitions_Name",
                table: "AccessRoleDefinitions",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AccessRoleEligibilityMarks_RoleDefinitionId_MarkedAt",
                table: "AccessRoleEligibilityMarks",
                columns: new[] { "RoleDefinitionId", "MarkedAt" });

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

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_PartnerId_CustomerId_UsageDate",
                table: "UsageRecords",
                columns: new[] { "PartnerId", "CustomerId", "UsageDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccessRoleDefinitions");

            migrationBuilder.DropTable(
                name: "AccessRoleEligibilityMarks");

            migrationBuilder.DropTable(
                name: "AzureSubscriptionTransitions");

            migrationBuilder.DropTable(
                name: "LegacyAzureImports");

            migrationBuilder.DropTable(
                name: "ProductUpgrades");

            migrationBuilder.DropTable(
                name: "UsageRecords");

            migrationBuilder.DropIndex(
                name: "IX_RoleAssignments_Corrects",
                table: "RoleAssignments");

            migrationBuilder.DropIndex(
                name: "IX_RoleAssignments_EntitlementId_ExternalId",
                table: "RoleAssignments");

            migrationBuilder.DropColumn(
                name: "ActsForPartnerId",
                table: "RoleAssignments");

            migrationBuilder.DropColumn(
                name: "Corrects",
                table: "RoleAssignments");

            migrationBuilder.DropColumn(
                name: "ExternalId",
                table: "RoleAssignments");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "RoleAssignments");

            migrationBuilder.DropColumn(
                name: "RecordedAt",
                table: "RoleAssignments");

            migrationBuilder.DropColumn(
                name: "RecordedBy",
                table: "RoleAssignments");

            migrationBuilder.DropColumn(
                name: "CancellationReason",
                table: "AzureEntitlements");

            migrationBuilder.DropColumn(
                name: "CancelledAt",
                table: "AzureEntitlements");

            migrationBuilder.DropColumn(
                name: "ReactivatedAt",
                table: "AzureEntitlements");
        }
    }
}
