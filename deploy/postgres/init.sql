-- One database per service (docker-compose). Services also create their database if it is missing.
CREATE DATABASE mep_schools;
CREATE DATABASE mep_assets;
CREATE DATABASE mep_support;
CREATE DATABASE mep_staffing;
CREATE DATABASE mep_funding;
CREATE DATABASE mep_identity;
