#!/usr/bin/env bash
# Prints examples/*.yaml with the placeholder subnet IDs replaced by subnets that exist in the AWS endpoint
# named by AWS_ENDPOINT_URL (the sandbox's moto has one default subnet per availability zone).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${AWS_ENDPOINT_URL:?source .sandbox/env first}"
subnets=$(curl -fsS "$AWS_ENDPOINT_URL/?Action=DescribeSubnets&Version=2016-11-15" \
  -H "Authorization: AWS4-HMAC-SHA256 Credential=testing/20260101/${AWS_REGION:-us-east-1}/ec2/aws4_request" \
  | grep -o '<subnetId>[^<]*</subnetId>' | sed -e 's/<[^>]*>//g' | sort | head -n 2)
first=$(echo "$subnets" | sed -n 1p)
second=$(echo "$subnets" | sed -n 2p)
[ -n "$first" ] || { echo "render-examples: no subnet found at $AWS_ENDPOINT_URL" >&2; exit 1; }
files=("$@"); [ ${#files[@]} -gt 0 ] || files=(examples/*.yaml)
for f in "${files[@]}"; do
  echo "---"
  sed -e "s/subnet-0aaaaaaaaaaaaaaa1/$first/g" -e "s/subnet-0bbbbbbbbbbbbbbb2/${second:-$first}/g" "$f"
done
