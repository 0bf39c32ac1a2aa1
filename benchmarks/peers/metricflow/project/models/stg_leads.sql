select * from {{ source('commerce', 'leads') }}
