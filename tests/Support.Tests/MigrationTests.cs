using Mep.Support.Data;

namespace Mep.Support.Tests;

public sealed class MigrationTests(SupportApi api) : IClassFixture<SupportApi>
{
    [Fact]
    public async Task The_ef_model_and_the_migrated_schema_agree()
    {
        await using var scope = api.Services.CreateAsyncScope();

        await SchemaAgreement.AssertModelMatchesDatabaseAsync(scope.ServiceProvider.GetRequiredService<SupportDbContext>());
    }
}
