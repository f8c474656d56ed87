# One image recipe for every service, the console and the identity provider:
#   docker build --build-arg SERVICE=Schools --build-arg ASSEMBLY=Mep.Schools -f deploy/docker/service.Dockerfile .
#   (SERVICE=Console ASSEMBLY=Mep.Console, SERVICE=Identity ASSEMBLY=Mep.Identity)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG SERVICE
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY contracts/ contracts/
COPY platform/ platform/
COPY services/ services/
RUN dotnet publish "services/${SERVICE}/${SERVICE}.csproj" -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
ARG ASSEMBLY
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    SERVICE_ASSEMBLY=${ASSEMBLY}.dll
WORKDIR /app
COPY --from=build /app .
# The image's non-root user by number (APP_UID, 1654), so Kubernetes can check runAsNonRoot without looking the name up. Nothing
# under /app is written at run time: the root file system can be read-only (the pods mount an emptyDir at /tmp).
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec dotnet \"$SERVICE_ASSEMBLY\" \"$@\"", "--"]
