select * from {{ source('commerce', 'orders') }}
