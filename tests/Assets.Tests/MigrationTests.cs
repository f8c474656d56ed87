using Mep.Assets.Data;

namespace Mep.Assets.Tests;

public sealed class MigrationTests(AssetsApi api) : IClassFixture<AssetsApi>
{
    [Fact]
    public async Task The_ef_model_and_the_migrated_schema_agree()
    {
        await using var scope = api.Services.CreateAsyncScope();

        await SchemaAgreement.AssertModelMatchesDatabaseAsync(scope.ServiceProvider.GetRequiredService<AssetsDbContext>());
    }
}
